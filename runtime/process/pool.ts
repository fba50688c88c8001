// The one process pool of this process: workerpool child processes, created on first use.
// Idle children do not keep the parent alive (their handles are unref'ed while nothing runs).
import workerpool from 'workerpool';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';

let pool: workerpool.Pool | undefined;
let running = 0;

const workerScript = new URL('./worker.js', import.meta.url);

function children(): any[] {
  // workerpool keeps its WorkerHandlers in `workers`; each has the ChildProcess in `worker`.
  return ((pool as any)?.workers ?? []).map((h: any) => h.worker).filter(Boolean);
}

function setKeepAlive(on: boolean): void {
  for (const child of children()) {
    if (on) { child.ref?.(); child.channel?.ref?.(); } else { child.unref?.(); child.channel?.unref?.(); }
  }
}

export function processPoolSize(): number {
  return availableParallelism();
}

/** The child process running the task of `promise`, if it is running (workerpool internals, v10). */
function runningChild(promise: unknown): { kill(signal: string): boolean } | undefined {
  for (const handler of (pool as any)?.workers ?? []) {
    for (const task of Object.values(handler.processing ?? {}) as any[]) {
      if (task?.resolver?.promise === promise) return handler.worker;
    }
  }
  return undefined;
}

/**
 * Runs `method` in a child process. cancel(): a queued task is dropped; a running one has its child killed,
 * and the task's promise settles only once the child has exited (workerpool then replaces it).
 */
export function execInProcess(method: string, params: unknown[]): { promise: Promise<any>; cancel(): void } {
  pool ??= workerpool.pool(fileURLToPath(workerScript), {
    workerType: 'process',
    maxWorkers: processPoolSize(),
    // v8 serialization: the same values cross as with worker threads (Map, Set, BigInt, undefined...)
    forkOpts: { serialization: 'advanced' },
    // a busy child cannot answer a cleanup request: end it quickly
    workerTerminateTimeout: 100,
  });
  running++;
  const p = pool.exec(method, params);
  setKeepAlive(true); // includes a child forked for this task just now
  const promise = new Promise<any>((resolve, reject) => {
    p.then(resolve, reject);
  }).finally(() => {
    if (--running === 0) setKeepAlive(false);
  });
  promise.catch(() => {});
  const cancel = () => {
    const child = runningChild(p);
    if (child) child.kill('SIGKILL'); // a busy child cannot answer workerpool's cleanup request anyway
    else p.cancel();
  };
  return { promise, cancel };
}

/** Ends every child process (tests and shutdown hooks). */
export async function terminateProcessPool(): Promise<void> {
  const p = pool;
  pool = undefined;
  if (p) await p.terminate(true);
}
