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
  // An idle worker waits forever, so its event loop only runs dry under an async task whose promise can never
  // settle (nothing left to wake it: no timer, I/O or message). The worker would end with exit code 0 and its
  // task fail as a mystery; this error tells its WorkerDiedError what happened.
  process.once('beforeExit', () => {
    throw new Error(`an async task's promise never settled and nothing was left that could settle it (no timer, I/O or message pending): its worker's event loop ran dry${pool.pendingAsync > 1 ? ` (${pool.pendingAsync} async tasks pending)` : ''}`);
  });
  void workLoop(pool, sh, data.role === 'cpu' ? Kind.CPU : Kind.IO, data.cfg.spinMicros);
}
