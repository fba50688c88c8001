// worker_threads entry: the supervisor, or a pool worker (cpu / io) that runs tasks.
import { workerData, parentPort, type MessagePort } from 'node:worker_threads';
import { writeSync } from 'node:fs';
import { Kind, Shared, type Layout } from './scheduler/layout.js';
import type { Config } from './config.js';

interface Data {
  role: 'supervisor' | 'cpu' | 'io'; sab: SharedArrayBuffer; layout: Layout; cfg: Config; tid: number; bigPort: MessagePort;
}
const data = workerData as Data;
const sh = new Shared(data.sab, data.layout);

if (data.role === 'supervisor') {
  const { supervise } = await import('./scheduler/supervisor.js');
  supervise(sh, data.cfg, new URL(import.meta.url), data.bigPort);
} else {
  // Worker frames in error stacks point at the user's source when a source map exists.
  process.setSourceMapsEnabled(true);
  // Write output straight to the process's stdout/stderr: the usual path goes through the parent's event loop,
  // which may be blocked in a join, and would interleave out of order.
  for (const [stream, fd] of [[process.stdout, 1], [process.stderr, 2]] as const) {
    const write = (chunk: string | Uint8Array, enc?: unknown, cb?: unknown) => {
      if (typeof chunk === 'string') writeSync(fd, chunk); else writeSync(fd, chunk);
      const done = typeof enc === 'function' ? enc : cb;
      if (typeof done === 'function') process.nextTick(done as () => void);
      return true;
    };
    Object.defineProperty(stream, 'write', { value: write, writable: true, configurable: true });
  }
  const { attachWorker } = await import('./scheduler/index.js');
  const { workLoop } = await import('./scheduler/worker-loop.js');
  const pool = attachWorker(sh, data.cfg, data.tid, parentPort!, data.bigPort);
  // A throw in a task's timer or an unhandled rejection fails the task whose async context raised it, not the
  // worker and every other call on it.
  process.on('uncaughtException', (e) => pool.uncaught(e));
  process.on('unhandledRejection', (e) => pool.uncaught(e));
  // Cancels the supervisor passes on. Listening also keeps the event loop alive while the worker waits in
  // Atomics.waitAsync, which alone does not: an idle io worker would exit and be restarted over and over.
  parentPort!.on('message', (m: { cancel?: number; gen: number; why: string }) => {
    if (m.cancel !== undefined) pool.cancelRun(m.cancel, m.gen, m.why);
  });
  // While async tasks run, only they may keep the event loop alive: if it runs dry, a task's promise can never
  // settle (no timer, I/O or message left to wake it), and this error tells its WorkerDiedError so.
  pool.onPendingAsync = (n) => { if (n > 0) parentPort!.unref(); else parentPort!.ref(); };
  process.once('beforeExit', () => {
    process.removeAllListeners('uncaughtException'); // this one ends the worker: its supervisor reports it
    throw new Error(`an async task's promise never settled and nothing was left that could settle it (no timer, I/O or message pending): its worker's event loop ran dry${pool.pendingAsync > 1 ? ` (${pool.pendingAsync} async tasks pending)` : ''}`);
  });
  workLoop(pool, sh, data.role === 'cpu' ? Kind.CPU : Kind.IO, data.cfg.spinMicros).catch((e: Error) => {
    writeSync(2, `tsfork: pool worker ${data.tid} failed, the supervisor replaces it: ${e?.stack ?? e}\n`);
    process.exit(70);
  });
}
