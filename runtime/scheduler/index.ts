// Pool API used by fork and by map/par (docs/internals.md "Pool API"). Each thread has one Pool: the main thread
// creates the shared memory and the supervisor on its first submit; pool workers attach to the same memory.
import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import { config, type Config } from '../config.js';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { H, Kind, Shared, makeLayout } from './layout.js';
import { ForkError, WorkerDiedError } from '../errors.js';
import { Pool, cloneError } from './pool.js';
import { cloneProblem } from './codec.js';
import type { SubmitOptions, Task } from './task.js';
import { ledger } from './started.js';
import { argValues } from '../lazy.js';
import { atCallSite } from '../errors.js';
export type { SubmitOptions, Task, TaskState, PoolKind } from './task.js';

let pool: Pool | undefined;
let callSites = true;

/** Starts fn(...args) on a pool (cpu by default). The task always goes to the queue. */
export function submit<T = unknown>(fn: Function, args: unknown[], opts: SubmitOptions = {}): Task<T> {
  if (typeof fn !== 'function') throw new TypeError(`submit(fn, args): expected a function, got ${fn === null ? 'null' : typeof fn}`);
  if (!Array.isArray(args)) throw new TypeError(`submit(${fn.name || 'fn'}, args): args must be an array`);
  // Checked before anything is queued: a bad option must not leave a task running.
  if (opts === null || typeof opts !== 'object') throw new TypeError(`submit(${fn.name || 'fn'}, args, options): options must be an object, got ${opts === null ? 'null' : typeof opts}`);
  if (opts.signal !== undefined && !(opts.signal instanceof AbortSignal)) {
    throw new TypeError(`submit(${fn.name || 'fn'}, args, { signal }): signal must be an AbortSignal, got ${opts.signal === null ? 'null' : typeof opts.signal}`);
  }
  if (opts.kind !== undefined && opts.kind !== 'cpu' && opts.kind !== 'io') {
    throw new TypeError(`submit(${fn.name || 'fn'}, args, { kind }): kind must be 'cpu' or 'io', got ${JSON.stringify(opts.kind)}`);
  }
  try {
    return currentPool().submit<T>(fn, argValues([...args]), opts)!;
  } catch (e) {
    throw atCallSite(e, submit);
  }
}

/**
 * What fork uses: like submit, but returns undefined when the cpu pool is saturated and fn is synchronous, so
 * the caller runs it inline (lazy task creation). `site` is the fork call site for error stacks.
 */
export function submitOrInline<T>(fn: Function, args: unknown[], kind: 'cpu' | 'io', site: Function): Task<T> | undefined {
  const p = currentPool();
  if (kind === 'cpu' && p.saturated(fn)) {
    // Inline, but the same checks as a real fork: the program must not work only because the pool was busy.
    p.registry.idOf(fn);
    checkCloneable(fn, args);
    Atomics.add(p.sh.i32, H.RAN_INLINE, 1);
    return undefined;
  }
  let callSite: { stack?: string } | undefined;
  if (callSites && p.wantsCallSite(fn)) {
    callSite = {};
    Error.captureStackTrace(callSite, site);
  }
  return p.submit<T>(fn, args, { kind, inlineWhenSaturated: true, callSite });
}

/** Throws the fork's ForkError if an argument could not be sent to a worker. Cheap for small plain values. */
function checkCloneable(fn: Function, args: unknown[]): void {
  for (const a of args) {
    const problem = cloneProblem(a);
    if (problem !== undefined) throw cloneError(fn, args, problem);
  }
}

function currentPool(): Pool {
  return pool ??= startPool();
}

function startPool(): Pool {
  const cfg = config();
  callSites = cfg.callSites;
  const layout = makeLayout(cfg.slots, 1 + cfg.cpuWorkers + cfg.ioWorkers);
  const sh = new Shared(new SharedArrayBuffer(layout.totalBytes), layout);
  for (let k = 0; k < layout.slots; k++) sh.i32[layout.freeStack + k] = layout.slots - 1 - k;
  sh.i32[H.FREE_TOP] = layout.slots;
  sh.i32[H.AVAILABLE_CPU] = cfg.cpuWorkers;
  const big = new MessageChannel();
  let supervisor: Worker | undefined;
  let ioWanted = false;
  const p = new Pool(sh, 0, cfg.cpuWorkers, cfg.spinMicros, {
    cancelRunning: (slot, gen, runner, why, async) => supervisor?.postMessage({ cancel: slot, gen, runner, why, async }),
    wantIo: () => { if (!ioWanted) { ioWanted = true; supervisor?.postMessage({ io: true }); } },
  }, big.port1);
  // The heap limit binds pool workers only: with one set, the main thread runs no task itself (helping a join or
  // inline), so a runaway allocation fails its task instead of ending the program.
  p.helps = cfg.workerHeapMb === undefined;
  // A runtime that cannot start its workers fails every fork, queued or later, with the reason; it never hangs.
  const cannotStart = (error: Error) => {
    p.breakPool(Kind.CPU, error);
    p.breakPool(Kind.IO, error);
    p.failRunningOnWorkers(error);
  };
  const workerFile = runtimeFile('../worker.js');
  if (typeof workerFile !== 'string') {
    cannotStart(workerFile);
  } else {
    supervisor = new Worker(workerFile, {
      workerData: { role: 'supervisor', sab: sh.sab, layout, cfg, bigPort: big.port2 },
      transferList: [big.port2],
    });
    supervisor.unref();
    const lost = (why: string, cause?: unknown) => cannotStart(new WorkerDiedError(
      `tsfork's pool supervisor ${why}; its workers are gone, and every fork fails with this error`, cause === undefined ? undefined : { cause }));
    supervisor.on('error', (e) => lost(`failed: ${e.stack ?? e}`, e));
    supervisor.on('exit', (code) => lost(`exited (code ${code})`));
  }
  // Every fork finishes before exit; a failure nobody joined is printed and makes the exit code non-zero. Also
  // at process.exit() and after an uncaught exception: the sequential program would have run those calls first.
  const settleAll = () => {
    const failures = p.drain();
    if ((failures > 0 || Atomics.load(sh.i32, H.UNJOINED_FAIL) !== 0) && !process.exitCode) process.exitCode = 1;
  };
  process.on('beforeExit', settleAll);
  process.on('exit', settleAll);
  // TSFORK_STATS=1: where the tasks ran, on stderr at exit (how to check that a build really forks).
  if (process.env.TSFORK_STATS === '1') {
    process.on('exit', () => {
      const n = (h: H) => Atomics.load(sh.i32, h);
      process.stderr.write(`tsfork: ${n(H.RAN_WORKERS)} tasks ran on worker threads, ${n(H.RAN_MAIN)} on the main thread ` +
        `while it joined, ${n(H.RAN_INLINE)} inline (pool saturated)\n`);
      if (n(H.WORKER_EXITS) > 0) process.stderr.write(`tsfork: ${n(H.WORKER_EXITS)} pool worker exits\n`);
    });
  }
  return p;
}

/**
 * The path of one of the runtime's own files (worker.js), or the error to fail forks with when it is not there:
 * what happens when a bundler (esbuild, rollup...) folds tsfork into the program's one file.
 */
function runtimeFile(relative: string): string | Error {
  let file: string | undefined;
  try { file = fileURLToPath(new URL(relative, import.meta.url)); } catch { /* import.meta.url rewritten by a bundler */ }
  if (file !== undefined && existsSync(file)) return file;
  return new ForkError(`tsfork cannot start its workers: its worker script ${file ?? relative} is missing. ` +
    'tsfork must stay a package of its own files (bundled into a single file it cannot start threads): mark it external ' +
    'in the bundler (esbuild --external:tsfork, rollup external: [\'tsfork\']). Every fork fails with this error.');
}

/** Worker side: this thread's pool is the shared one it was started with. */
export function attachWorker(sh: Shared, cfg: Config, tid: number, supervisor: MessagePort, bigPort: MessagePort): Pool {
  callSites = cfg.callSites;
  let ioWanted = false;
  pool = new Pool(sh, tid, cfg.cpuWorkers, cfg.spinMicros, {
    cancelRunning: (slot, gen, runner, why, async) => supervisor.postMessage({ cancel: slot, gen, runner, why, async }),
    wantIo: () => { if (!ioWanted) { ioWanted = true; supervisor.postMessage({ io: true }); } },
  }, bigPort);
  ledger.onUnjoined = () => Atomics.store(sh.i32, H.UNJOINED_FAIL, 1);
  return pool;
}
