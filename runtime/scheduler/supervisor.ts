// The supervisor: a small worker thread that owns the pool's workers. Its event loop is never blocked (the main
// thread's may be, in a synchronous join), so it always sees a worker die, fails that worker's tasks in shared
// memory (waking their joiners) and starts a replacement. It also terminates workers whose task was cancelled.
import { MessageChannel, Worker, parentPort, type MessagePort } from 'node:worker_threads';
import { BigRelay } from './big.js';
import { H, Kind, S, State, Flag, type Shared } from './layout.js';
import { Pool } from './pool.js';
import { TaskCancelledError, WorkerDiedError } from '../errors.js';
import type { Config } from '../config.js';

interface Control { io?: boolean; cancel?: number; runner?: number }

export function supervise(sh: Shared, cfg: Config, workerUrl: URL, mainBigPort: MessagePort): void {
  const workers = new Map<number, Worker>();
  const relay = new BigRelay();
  relay.attach(0, mainBigPort);
  const own = new MessageChannel();
  relay.attach(-1, own.port2);
  const lastError = new Map<number, unknown>();
  const recentDeaths: number[] = [];
  let ioStarted = false;
  // Fails tasks from this thread; it never submits or runs any.
  const pool = new Pool(sh, -1, cfg.cpuWorkers, 0, { terminateRunner() {}, wantIo() {} }, own.port1);

  const spawn = (tid: number, kind: Kind, replacement = false) => {
    // A starting worker counts as available at once (the first ones are counted by the main thread), or forks
    // made while it boots would all run inline.
    if (kind === Kind.CPU && replacement) Atomics.add(sh.i32, H.AVAILABLE_CPU, 1);
    const big = new MessageChannel();
    relay.attach(tid, big.port1);
    const w = new Worker(workerUrl, {
      workerData: { role: kind === Kind.CPU ? 'cpu' : 'io', sab: sh.sab, layout: sh.layout, cfg, tid, bigPort: big.port2 },
      transferList: [big.port2],
      ...(cfg.workerHeapMb ? { resourceLimits: { maxOldGenerationSizeMb: cfg.workerHeapMb } } : {}),
    });
    workers.set(tid, w);
    w.on('message', control);
    w.on('error', (e) => lastError.set(tid, e));
    w.on('exit', (code) => {
      workers.delete(tid);
      relay.detach(tid, big.port1);
      failRunning(tid, code);
      // A worker that keeps dying at once (broken environment) is not restarted in a tight loop.
      const now = Date.now();
      recentDeaths.push(now);
      while (recentDeaths.length && recentDeaths[0]! < now - 1000) recentDeaths.shift();
      const delay = recentDeaths.length > 10 ? 1000 : 0;
      setTimeout(() => spawn(tid, kind, true), delay);
    });
  };

  const failRunning = (tid: number, code: number) => {
    const { i32, layout } = sh;
    const err = lastError.get(tid) as Error | undefined;
    lastError.delete(tid);
    for (let slot = 0; slot < layout.slots; slot++) {
      const f = sh.field(slot, 0);
      if (Atomics.load(i32, f + S.STATE) !== State.RUNNING || Atomics.load(i32, f + S.RUNNER) !== tid) continue;
      const fnId = i32[f + S.FN]!;
      relay.dropSlot(slot); // its arguments, if it never read them
      const name = pool.registry.refOf(fnId).name || '<anonymous function>';
      if (Atomics.load(i32, f + S.FLAGS) & Flag.CANCEL) {
        pool.finishError(slot, new TaskCancelledError(`forked call of ${name} was cancelled; its worker was terminated and replaced`), 0, State.CANCELLED);
      } else {
        const why = err ? `: ${err.name}: ${err.message}` : ` with exit code ${code}`;
        pool.finishError(slot, new WorkerDiedError(`the worker running ${name} died${why}; the pool replaced it and other tasks are unaffected`, err ? { cause: err } : undefined), 0);
      }
    }
  };

  function control(m: Control): void {
    if (m.io && !ioStarted) {
      ioStarted = true;
      for (let k = 0; k < cfg.ioWorkers; k++) spawn(1 + cfg.cpuWorkers + k, Kind.IO);
    }
    if (m.cancel !== undefined && m.runner !== undefined) {
      const f = sh.field(m.cancel, 0);
      // Only if that task is still running there (it may have finished meanwhile).
      if (Atomics.load(sh.i32, f + S.STATE) === State.RUNNING && Atomics.load(sh.i32, f + S.RUNNER) === m.runner) {
        void workers.get(m.runner)?.terminate();
      }
    }
  }

  parentPort!.on('message', control);
  for (let k = 0; k < cfg.cpuWorkers; k++) spawn(1 + k, Kind.CPU);
}
