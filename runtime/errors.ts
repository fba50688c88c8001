// Named error classes, and how errors cross between threads keeping their class, properties, cause and stack.
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

/** Bad input to fork: a function that cannot reach a worker, or an argument that cannot be cloned. */
export class ForkError extends Error {
  constructor(message: string, options?: ErrorOptions) { super(message, options); this.name = 'ForkError'; }
}
/** join() called where the thread must not block (a browser main thread). */
export class JoinError extends Error {
  constructor(message: string, options?: ErrorOptions) { super(message, options); this.name = 'JoinError'; }
}
/** The worker running a task exited (process.exit, out of memory, crash) before the task finished. */
export class WorkerDiedError extends Error {
  constructor(message: string, options?: ErrorOptions) { super(message, options); this.name = 'WorkerDiedError'; }
}
/** The task was cancelled (Task.cancel or its AbortSignal) before it finished. */
export class TaskCancelledError extends Error {
  constructor(message: string, options?: ErrorOptions) { super(message, options); this.name = 'TaskCancelledError'; }
}

const ownClasses: Record<string, Function> = {
  ForkError, JoinError, WorkerDiedError, TaskCancelledError,
};
const builtinClasses: Record<string, Function> = {
  Error, TypeError, RangeError, SyntaxError, ReferenceError, EvalError, URIError, AggregateError,
};

/** A thrown value as plain, structured-cloneable data. */
export interface SerializedError {
  isError: boolean;
  value?: unknown;              // a thrown non-Error value (kept if cloneable, else its String())
  className?: string;           // constructor name
  classRef?: { module: string; name: string }; // where the receiver can load a user class from
  name?: string;
  message?: string;
  stack?: string;
  props?: Record<string, unknown>;
  cause?: SerializedError;
  errors?: SerializedError[];   // AggregateError
}

function cloneable(v: unknown): unknown {
  try { structuredClone(v); return v; } catch { return String(v); }
}

/**
 * Turns a thrown value into data. `moduleExports`, when given, is searched for the error's class so the
 * receiver can load it (a user class exported from the task's module).
 */
export function serializeError(err: unknown, moduleRef?: { module: string; exports: Record<string, unknown> }, depth = 0): SerializedError {
  if (!(err instanceof Error)) {
    if (err && typeof err === 'object' && 'stack' in err && 'message' in err) {
      // An Error from another realm (vm context): treat like an Error.
    } else {
      return { isError: false, value: cloneable(err) };
    }
  }
  const e = err as Error & Record<string, unknown>;
  const out: SerializedError = {
    isError: true, className: e.constructor?.name, name: e.name, message: e.message, stack: e.stack,
  };
  if (moduleRef && !(out.className! in builtinClasses) && !(out.className! in ownClasses)) {
    // The export under the class's own name first: that is the name hoist() registers it under on the other side.
    const names = Object.keys(moduleRef.exports).filter((k) => moduleRef.exports[k] === e.constructor);
    const name = names.includes(e.constructor.name) ? e.constructor.name : names[0];
    if (name !== undefined) out.classRef = { module: moduleRef.module, name };
  }
  // Thrown by this thread's own copy of a registered class (a task run on the thread that hoisted it).
  if (!out.classRef && typeof e.constructor === 'function') {
    out.classRef = hoistedRefOf(e.constructor, moduleRef?.module) ?? hoistedRefOf(e.constructor);
  }
  const props: Record<string, unknown> = {};
  for (const key of Object.keys(e)) {
    if (key === 'cause' || key === 'errors' || key === 'stack' || key === 'message') continue;
    props[key] = cloneable(e[key]);
  }
  if (Object.keys(props).length) out.props = props;
  if ('cause' in e && depth < 8) out.cause = serializeError(e.cause, moduleRef, depth + 1);
  if (Array.isArray(e.errors) && depth < 8) out.errors = e.errors.map((x) => serializeError(x, moduleRef, depth + 1));
  return out;
}

// Frames inside tsfork's own runtime (the pool, the worker loop) say nothing about the user's program. Workers
// map stacks through source maps, so those frames name either dist/runtime/*.js or the runtime/*.ts sources.
const runtimeDirs = [
  new URL('.', import.meta.url).href,
  fileURLToPath(new URL('.', import.meta.url)),
  fileURLToPath(new URL('../../runtime/', import.meta.url)),
];
export function withoutRuntimeFrames(stack: string): string {
  // A function sent as source runs from an eval inside function-ref.js: keep its frame, without that detour.
  stack = stack.replace(/\(eval at .*?, <anonymous>:(\d+:\d+)\)/g, '(<forked function source>:$1)');
  // Node's own frames under a task (the worker's event loop, e.g. processTicksAndRejections on Node 24, and the
  // AsyncLocalStorage.run a worker calls the task in) are the worker's plumbing, not a step of the user's program.
  return stack.split('\n')
    .filter((line) => !/^\s+at /.test(line) || !(runtimeDirs.some((d) => line.includes(d)) || /[( ]node:(internal\/|async_hooks:)/.test(line)))
    .join('\n');
}

/**
 * A ForkError raised deep inside fork or submit, re-stacked at the user's call: its first frame is the line that
 * called `site` (frames inside tsfork, such as a fork wrapper, skipped). Anything else is returned unchanged.
 */
export function atCallSite(e: unknown, site: Function): unknown {
  if (e instanceof ForkError) {
    Error.captureStackTrace(e, site);
    e.stack = withoutRuntimeFrames(e.stack!);
  }
  return e;
}

/** Classes registered with hoist(Class, moduleUrl, name): this thread's own class for an export of a worker module. */
const hoistedClasses = new Map<string, Function>();
/** fn -> (worker module URL -> export name): a class imported by several modules is registered by each. */
const hoistedRefs = new WeakMap<Function, Map<string, string>>();

export function rememberHoisted(moduleUrl: string, exportName: string, fn: Function): void {
  hoistedClasses.set(`${moduleUrl}\0${exportName}`, fn);
  let byModule = hoistedRefs.get(fn);
  if (!byModule) hoistedRefs.set(fn, byModule = new Map());
  byModule.set(moduleUrl, exportName);
}

/** Where hoist() registered this class (or function): under `module` if given, else the first registration. */
export function hoistedRefOf(fn: Function, module?: string): { module: string; name: string } | undefined {
  const byModule = hoistedRefs.get(fn);
  if (!byModule) return undefined;
  if (module !== undefined) {
    const name = byModule.get(module);
    return name === undefined ? undefined : { module, name };
  }
  const [first] = byModule;
  return first && { module: first[0], name: first[1] };
}

export function loadClass(ref: { module: string; name: string }): Function | undefined {
  // The transform registers the classes a worker module shares with its module, so an error thrown in a worker
  // is an instance of *this* module's class (instanceof works), not of the worker module's copy.
  const own = hoistedClasses.get(`${ref.module}\0${ref.name}`);
  if (own) return own;
  try {
    const req = createRequire(import.meta.url);
    const mod = req(fileURLToPath(ref.module)) as Record<string, unknown>;
    const c = mod[ref.name];
    return typeof c === 'function' ? c : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Turns data from serializeError back into an Error of the same class where the class is known here (built-ins,
 * tsfork's own, or a loadable user class), else an Error whose name is the original one.
 * `callSite`, when given, is appended to the stack: the stack then reads worker frames, then the fork call.
 */
export function reviveError(data: SerializedError, callSite?: string): unknown {
  if (!data.isError) return data.value;
  const Class: Function = (data.className ? builtinClasses[data.className] ?? ownClasses[data.className] : undefined)
    ?? (data.classRef ? loadClass(data.classRef) : undefined) ?? Error;
  const err: Error & Record<string, unknown> = Object.create(Class.prototype);
  const define = (key: string, value: unknown) =>
    Object.defineProperty(err, key, { value, writable: true, configurable: true, enumerable: false });
  define('message', data.message ?? '');
  if (data.name !== undefined && data.name !== Class.prototype.name) define('name', data.name);
  let stack = withoutRuntimeFrames(data.stack ?? `${data.name}: ${data.message}`);
  if (callSite) stack += `\n    --- forked at ---\n${withoutRuntimeFrames(callSite)}`;
  define('stack', stack);
  if (data.props) for (const [k, v] of Object.entries(data.props)) err[k] = v;
  if (data.cause) define('cause', reviveError(data.cause));
  if (data.errors) define('errors', data.errors.map((x) => reviveError(x)));
  return err;
}
