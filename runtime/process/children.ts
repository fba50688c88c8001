// The one workerpool pool of child processes. It lives in the bridge thread (bridge.ts), whose event loop
// runs even while the thread that asked for the work is blocked in mapSync.
import workerpool from 'workerpool';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { inheritedExecArgv } from './exec-argv.js';
import { TaskCancelledError, WorkerDiedError } from '../errors.js';

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
  let cancelled = false;
  const promise = new Promise<any>((resolve, reject) => {
    p.then(resolve, (e) => reject(cancelled ? new TaskCancelledError(`${method} was cancelled; its child process was killed`) : childError(method, e)));
  });
  const cancel = () => {
    cancelled = true;
    const child = runningChild(p);
    if (child) child.kill('SIGKILL'); // a busy child cannot answer workerpool's cleanup request anyway
    else p.cancel();
  };
  return { promise, cancel };
}

/**
 * workerpool reports a child that died as a plain Error ("Workerpool Worker terminated Unexpectedly", then its
 * exitCode and signalCode): the same WorkerDiedError as a dead worker thread, saying how it ended.
 */
function childError(method: string, e: unknown): unknown {
  if (!(e instanceof workerpool.TerminateError)) return e;
  const text = e.message;
  const exitCode = /exitCode: `(-?\d+)`/.exec(text)?.[1];
  const signal = /signalCode: `(SIG\w+)`/.exec(text)?.[1];
  const how = signal ? ` (killed by ${signal})` : exitCode !== undefined ? ` with exit code ${exitCode}` : `: ${text.split('\n')[0]}`;
  const err = new WorkerDiedError(`the child process running ${method} died${how}; the pool replaced it and other tasks are unaffected`, { cause: e });
  return Object.assign(err, { exitCode: exitCode === undefined ? null : Number(exitCode), signal: signal ?? null });
}

/** Ends every child process. */
export async function terminateChildren(): Promise<void> {
  const p = pool;
  pool = undefined;
  if (p) await p.terminate(true);
}
