// The options every map/par form accepts, and their validation (clear errors at the call).

export const THREAD_EXECUTOR = 'thread';
export const PROCESS_EXECUTOR = 'process';
export type ExecutorName = typeof THREAD_EXECUTOR | typeof PROCESS_EXECUTOR;

export interface ParallelOptions {
  /** 'thread' (default: worker_threads, the same pool as fork) or 'process' (workerpool child processes). */
  executor?: ExecutorName;
  /** Milliseconds for the whole call (from its start); unfinished tasks are stopped, their workers ended. */
  timeout?: number;
  /** At most this many of this call's tasks run at the same time. */
  maxWorkers?: number;
  /** Named parameters merged into every call's trailing options object (the item's own keys win). */
  extras?: Record<string, unknown>;
  /** Failures become FailedTask values in their slots instead of rejecting the call. */
  silent?: boolean;
  /** Cancels everything pending and running; the call rejects with signal.reason. */
  signal?: AbortSignal;
  /** Items per task (map only); by default measured task time decides. */
  chunkSize?: number;
  /** Called as items finish: done so far, total. */
  onProgress?: (done: number, total: number) => void;
  /** Draw a progress bar on stderr (only when stderr is a TTY). */
  progress?: boolean;
}

const KNOWN = new Set([
  'executor', 'timeout', 'maxWorkers', 'extras', 'silent', 'signal', 'chunkSize', 'onProgress', 'progress',
]);

function positiveInteger(where: string, name: string, value: unknown): void {
  if (value === undefined) return;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new TypeError(`${where}: option ${name} must be a positive integer, got ${describe(value)}`);
  }
}

/** Checks options and returns them with defaults applied; throws a TypeError naming the bad option. */
export function readOptions(where: string, options: ParallelOptions | undefined): ParallelOptions {
  if (options === undefined || options === null) return {};
  if (typeof options !== 'object' || Array.isArray(options)) {
    throw new TypeError(`${where}: options must be an object, got ${describe(options)}`);
  }
  for (const key of Object.keys(options)) {
    if (!KNOWN.has(key)) {
      throw new TypeError(`${where}: unknown option "${key}" (known: ${[...KNOWN].join(', ')})`);
    }
  }
  const { executor, timeout, extras, signal, onProgress } = options;
  if (executor !== undefined && executor !== THREAD_EXECUTOR && executor !== PROCESS_EXECUTOR) {
    throw new TypeError(`${where}: option executor must be THREAD_EXECUTOR ('thread') or PROCESS_EXECUTOR ('process'), got ${describe(executor)}`);
  }
  if (timeout !== undefined && (typeof timeout !== 'number' || !(timeout >= 0) || !Number.isFinite(timeout))) {
    throw new TypeError(`${where}: option timeout must be a number of milliseconds >= 0, got ${describe(timeout)}`);
  }
  positiveInteger(where, 'maxWorkers', options.maxWorkers);
  positiveInteger(where, 'chunkSize', options.chunkSize);
  if (extras !== undefined && !isPlainObject(extras)) {
    throw new TypeError(`${where}: option extras must be a plain object of named parameters, got ${describe(extras)}`);
  }
  if (signal !== undefined && !(signal instanceof AbortSignal)) {
    throw new TypeError(`${where}: option signal must be an AbortSignal, got ${describe(signal)}`);
  }
  if (onProgress !== undefined && typeof onProgress !== 'function') {
    throw new TypeError(`${where}: option onProgress must be a function (done, total) => void, got ${describe(onProgress)}`);
  }
  return options;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** A short description of a value for error messages. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  switch (typeof value) {
    case 'string': return `the string ${JSON.stringify(value.length > 40 ? value.slice(0, 40) + '...' : value)}`;
    case 'number': case 'boolean': case 'bigint': return `${typeof value} ${String(value)}`;
    case 'undefined': return 'undefined';
    case 'function': return `function ${value.name || '(anonymous)'}`;
    case 'symbol': return 'a symbol';
    default: {
      const ctor = Object.getPrototypeOf(value)?.constructor?.name;
      return ctor && ctor !== 'Object' ? `a ${ctor}` : 'an object';
    }
  }
}
