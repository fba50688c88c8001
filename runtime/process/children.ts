// The one workerpool pool of child processes. It lives in the bridge thread (bridge.ts), whose event loop
// runs even while the thread that asked for the work is blocked in mapSync.
import workerpool from 'workerpool';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { inheritedExecArgv } from './exec-argv.js';

let pool: workerpool.Pool | undefined;

const workerScript = new URL('./worker.js', import.meta.url);

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
export function execInChild(method: string, params: unknown[]): { promise: Promise<any>; cancel(): void } {
  pool ??= workerpool.pool(fileURLToPath(workerScript), {
    workerType: 'process',
    maxWorkers: availableParallelism(),
    // v8 serialization: the same values cross as with worker threads (Map, Set, BigInt, undefined...)
    forkOpts: { serialization: 'advanced', execArgv: inheritedExecArgv() },
    // a busy child cannot answer a cleanup request: end it quickly
    workerTerminateTimeout: 100,
  });
  const p = pool.exec(method, params);
  const promise = new Promise<any>((resolve, reject) => { p.then(resolve, reject); });
  const cancel = () => {
    const child = runningChild(p);
    if (child) child.kill('SIGKILL'); // a busy child cannot answer workerpool's cleanup request anyway
    else p.cancel();
  };
  return { promise, cancel };
}

/** Ends every child process. */
export async function terminateChildren(): Promise<void> {
  const p = pool;
  pool = undefined;
  if (p) await p.terminate(true);
}
