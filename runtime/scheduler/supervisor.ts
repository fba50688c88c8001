// The supervisor: a small worker thread that owns the pool's workers. Its event loop is never blocked (the main
// thread's may be, in a synchronous join), so it always sees a worker die, fails that worker's tasks in shared
// memory (waking their joiners) and starts a replacement. It passes cancels on to the worker running the task,
// and terminates that worker only if the task does not stop there.
import { MessageChannel, Worker, parentPort, type MessagePort } from 'node:worker_threads';
import { BigRelay } from './big.js';
import { H, Kind, S, State, Flag, T, type Shared } from './layout.js';
import { Pool } from './pool.js';
import { TaskCancelledError, WorkerDiedError } from '../errors.js';
import type { Config } from '../config.js';

interface Control { io?: boolean; cancel?: number; gen?: number; runner?: number; why?: string; async?: boolean }

/** Workers of a pool that may die in a row before they are ready, before the pool counts as broken. */
const START_ATTEMPTS = 5;
/**
 * How long a cancelled task may take to stop on its worker before the worker is terminated. A synchronous call
 * cannot stop by itself, so its worker is terminated almost at once; an async one (and any io task) shares its
 * worker with other calls, which a termination would end too, so the worker's event loop gets time to settle it.
 */
const CANCEL_GRACE_MS = { sync: 20, async: 2000 };

export function supervise(sh: Shared, cfg: Config, workerUrl: URL, mainBigPort: MessagePort): void {
  const { i32, layout } = sh;
  const workers = new Map<number, { w: Worker; kind: Kind }>();
  const relay = new BigRelay();
  relay.attach(0, mainBigPort);
  const own = new MessageChannel();
  relay.attach(-1, own.port2);
  const lastError = new Map<number, unknown>();
  // Why a worker was terminated: to stop this cancelled task (named in its other tasks' errors).
  const stopping = new Map<number, string>();
  const startFailures = [0, 0];
  let ioStarted = false;
  // Fails tasks from this thread; it never submits or runs any.
  const pool = new Pool(sh, -1, cfg.cpuWorkers, 0, { cancelRunning() {}, wantIo() {} }, own.port1);
  const kindName = (kind: Kind) => (kind === Kind.CPU ? 'cpu' : 'io');
  const nameOf = (slot: number) => pool.registry.refOf(i32[sh.field(slot, S.FN)]!).name || '<anonymous function>';

  const spawn = (tid: number, kind: Kind, replacement: boolean) => {
    // A starting cpu worker counts as available at once (the first ones are counted by the main thread), or forks
    // made while it boots would all run inline; its state word says so, for when it dies before taking a task.
    Atomics.store(i32, layout.threadState + tid, kind === Kind.CPU ? T.AVAILABLE : 0);
    if (kind === Kind.CPU && replacement) Atomics.add(i32, H.AVAILABLE_CPU, 1);
    const big = new MessageChannel();
    let w: Worker;
    try {
      w = new Worker(workerUrl, {
        workerData: { role: kind === Kind.CPU ? 'cpu' : 'io', sab: sh.sab, layout, cfg, tid, bigPort: big.port2 },
        transferList: [big.port2],
        ...(cfg.workerHeapMb ? { resourceLimits: { maxOldGenerationSizeMb: cfg.workerHeapMb } } : {}),
      });
    } catch (e) {
      // Cannot even be created (invalid execArgv, ...): it would fail the same way every time.
      if (Atomics.exchange(i32, layout.threadState + tid, 0) & T.AVAILABLE) Atomics.sub(i32, H.AVAILABLE_CPU, 1);
      big.port1.close();
      breakPool(kind, 1, e);
      return;
    }
    relay.attach(tid, big.port1);
    workers.set(tid, { w, kind });
    w.on('message', control);
    w.on('error', (e) => lastError.set(tid, e));
    w.on('exit', (code) => {
      workers.delete(tid);
      relay.detach(tid, big.port1);
      Atomics.add(i32, H.WORKER_EXITS, 1);
      const was = Atomics.exchange(i32, layout.threadState + tid, 0);
      if (was & T.AVAILABLE && kind === Kind.CPU) Atomics.sub(i32, H.AVAILABLE_CPU, 1);
      const err = lastError.get(tid);
      failRunning(tid, code);
      if (Atomics.load(i32, H.BROKEN) & (1 << kind)) return;
      if (was & T.READY) {
        startFailures[kind] = 0;
        spawn(tid, kind, true);
        return;
      }
      // Died before it was ready (heap too small, a preload that throws, missing files...): try again a few
      // times, backing off; if no worker of this pool ever gets ready, every fork on it fails instead of waiting.
      const n = ++startFailures[kind]!;
      const anyReady = [...workers].some(([t, x]) => x.kind === kind && Atomics.load(i32, layout.threadState + t) & T.READY);
      if (n >= START_ATTEMPTS && !anyReady) { breakPool(kind, n, err ?? new Error(`exit code ${code}`)); return; }
      setTimeout(() => spawn(tid, kind, true), Math.min(1000, 25 << n));
    });
  };

  const breakPool = (kind: Kind, attempts: number, cause: unknown) => {
    const c = cause as { name?: string; message?: string; code?: string };
    const heap = c?.code === 'ERR_WORKER_OUT_OF_MEMORY' && cfg.workerHeapMb ? ` (workerHeapMb is ${cfg.workerHeapMb}: too small?)` : '';
    pool.breakPool(kind, new WorkerDiedError(`tsfork cannot start the ${kindName(kind)} pool's workers: ` +
      `${attempts === 1 ? 'a worker' : `${attempts} workers in a row`} failed before ${attempts === 1 ? 'it was' : 'they were'} ready ` +
      `(${c?.name ?? 'Error'}: ${c?.message ?? String(cause)})${heap}; every fork on this pool fails with this error`, { cause }));
    for (const x of workers.values()) if (x.kind === kind) void x.w.terminate();
  };

  const failRunning = (tid: number, code: number) => {
    const err = lastError.get(tid) as Error | undefined;
    lastError.delete(tid);
    const stopped = stopping.get(tid);
    stopping.delete(tid);
    const mine: number[] = [];
    for (let slot = 0; slot < layout.slots; slot++) {
      const f = sh.field(slot, 0);
      if (Atomics.load(i32, f + S.STATE) === State.RUNNING && Atomics.load(i32, f + S.RUNNER) === tid) mine.push(slot);
    }
    for (const slot of mine) {
      const f = sh.field(slot, 0);
      relay.dropSlot(slot); // its arguments, if it never read them
      const name = nameOf(slot);
      if (Atomics.load(i32, f + S.FLAGS) & Flag.CANCEL) {
        pool.finishError(slot, new TaskCancelledError(`forked call of ${name} was cancelled; it did not stop by itself (a running synchronous call cannot), so its worker was terminated and replaced`), 0, State.CANCELLED);
      } else if (stopped !== undefined) {
        pool.finishError(slot, new WorkerDiedError(`the worker running ${name} was terminated to stop the cancelled call ${stopped}, which ran on the same worker and did not stop by itself; the pool replaced the worker`), 0);
      } else {
        const why = err ? `: ${err.name}: ${err.message}` : ` with exit code ${code}`;
        const others = mine.length > 1 ? ` while it ran ${mine.length} calls (any of them may have caused it)` : '';
        pool.finishError(slot, new WorkerDiedError(`the worker running ${name} died${why}${others}; the pool replaced the worker`, err ? { cause: err } : undefined), 0);
      }
    }
  };

  const stillRunning = (slot: number, gen: number, runner: number) => {
    const f = sh.field(slot, 0);
    return Atomics.load(i32, f + S.STATE) === State.RUNNING && Atomics.load(i32, f + S.RUNNER) === runner && Atomics.load(i32, f + S.GEN) === gen;
  };

  function control(m: Control): void {
    if (m.io && !ioStarted) {
      ioStarted = true;
      for (let k = 0; k < cfg.ioWorkers; k++) spawn(1 + cfg.cpuWorkers + k, Kind.IO, false);
    }
    if (m.cancel !== undefined && m.runner !== undefined && m.gen !== undefined) {
      const { cancel: slot, gen, runner } = m;
      // Only that very task (slot and generation) if it is still running there: it may have finished meanwhile,
      // and the next task in its slot may be running on the same worker.
      const x = workers.get(runner);
      if (!x || !stillRunning(slot, gen, runner)) return;
      x.w.postMessage({ cancel: slot, gen, why: m.why ?? '' });
      setTimeout(() => {
        if (workers.get(runner) !== x || !stillRunning(slot, gen, runner)) return;
        stopping.set(runner, nameOf(slot));
        void x.w.terminate();
      }, x.kind === Kind.IO || m.async ? CANCEL_GRACE_MS.async : CANCEL_GRACE_MS.sync);
    }
  }

  parentPort!.on('message', control);
  for (let k = 0; k < cfg.cpuWorkers; k++) spawn(1 + k, Kind.CPU, false);
}
