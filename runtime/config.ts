// Pool sizes and scheduler knobs: configure() before the first fork, or environment variables.
import os from 'node:os';

export interface Config {
  /** CPU pool size. Default os.availableParallelism(); env TSFORK_CPU_WORKERS. */
  cpuWorkers: number;
  /** I/O pool size. Default 2 x cores, at least 4; env TSFORK_IO_WORKERS. */
  ioWorkers: number;
  /** How long an idle worker spins before sleeping, in microseconds. Default 50; env TSFORK_SPIN_US. */
  spinMicros: number;
  /** Keep the fork call site for error stacks (costs ~1 us per fork). Default true; env TSFORK_CALL_SITES=0 turns off. */
  callSites: boolean;
  /**
   * Heap limit of each worker in MB, at least MIN_WORKER_HEAP_MB (a worker over it fails its task and is replaced;
   * with a limit set, the main thread runs no task itself). Default: Node's; env TSFORK_WORKER_HEAP_MB.
   */
  workerHeapMb: number | undefined;
  /** Task slots in shared memory (forks in flight at once; more run inline). Default 4096. */
  slots: number;
}

/**
 * The smallest workerHeapMb accepted: a worker needs ~6 MB of heap just to start (below that every worker dies at
 * start-up), and a task needs room beyond that.
 */
export const MIN_WORKER_HEAP_MB = 16;

function envInt(name: string): number | undefined {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`${name}=${JSON.stringify(raw)}: expected a positive integer`);
  if (name === 'TSFORK_WORKER_HEAP_MB' && n < MIN_WORKER_HEAP_MB) throw new RangeError(`${name}=${JSON.stringify(raw)}: ${heapTooSmall}`);
  return n;
}

const heapTooSmall = `a worker's heap limit must be at least ${MIN_WORKER_HEAP_MB} MB (a worker needs about 6 MB just to start, and its tasks need room beyond that)`;

function defaults(): Config {
  const cores = os.availableParallelism();
  return {
    cpuWorkers: envInt('TSFORK_CPU_WORKERS') ?? cores,
    ioWorkers: envInt('TSFORK_IO_WORKERS') ?? Math.max(4, 2 * cores),
    spinMicros: envInt('TSFORK_SPIN_US') ?? 50,
    callSites: process.env.TSFORK_CALL_SITES !== '0',
    slots: envInt('TSFORK_SLOTS') ?? 4096,
    workerHeapMb: envInt('TSFORK_WORKER_HEAP_MB'),
  };
}

let current: Config | undefined;
let frozen = false;

/** The configuration in effect (reading it freezes it: pools are about to start). */
export function config(): Config {
  frozen = true;
  return (current ??= defaults());
}

/** Sets pool sizes and knobs; must run before the first fork. */
export function configure(options: Partial<Config>): void {
  if (frozen) throw new Error('configure() must be called before the first fork: the pools have started already');
  const next = { ...(current ?? defaults()) };
  for (const [key, value] of Object.entries(options) as [keyof Config, unknown][]) {
    if (!(key in next)) throw new TypeError(`configure: unknown option '${key}' (known: ${Object.keys(next).join(', ')})`);
    if (value === undefined) continue;
    if (key === 'callSites') {
      if (typeof value !== 'boolean') throw new TypeError(`configure: callSites must be a boolean, got ${typeof value}`);
      next.callSites = value;
    } else {
      if (typeof value !== 'number' || !Number.isInteger(value) || value < (key === 'spinMicros' ? 0 : 1)) {
        throw new RangeError(`configure: ${key} must be a positive integer, got ${String(value)}`);
      }
      if (key === 'workerHeapMb' && value < MIN_WORKER_HEAP_MB) throw new RangeError(`configure: workerHeapMb is ${value}, but ${heapTooSmall}`);
      next[key] = value;
    }
  }
  current = next;
}
