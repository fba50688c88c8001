// A forked call's failure is its own. A call that ends its thread with process.exit() fails only its own task,
// wherever it runs: on the main thread (helping a join, or inline because the pool was busy) process.exit would
// end the whole program, and on a pool worker it would end every other call that worker runs (an io worker runs
// many at once); so while a forked call runs, process.exit throws WorkerDiedError instead.
// On the main thread the running call is a counter-cheap variable (forked calls there are synchronous); on a pool
// worker it is the task's async context (`current`), which also follows the call into its timers and promises, so
// an uncaught exception or unhandled rejection there fails that call, not the worker (see attachWorker).
// process.exit is wrapped once, the first time a forked call runs on the thread.
import { AsyncLocalStorage } from 'node:async_hooks';
import { isMainThread } from 'node:worker_threads';
import { WorkerDiedError } from '../errors.js';
import { describeFunction } from '../function-ref.js';

/** One run of a task on a pool worker; `settled` once its outcome is written (it may still have work left). */
export class TaskRun {
  settled = false;
  ended = false; // its own promise settled (a cancelled or failed run may go on after it is settled)
  constructor(readonly slot: number, readonly gen: number, readonly fn: Function, readonly fnId: number) {}
}

/** The task whose code is running on this pool worker, through its callbacks and promises. */
export const current = new AsyncLocalStorage<TaskRun>();

let running: Function | undefined;
let item: string | undefined; // the user's function a batch runner (runChunk) is calling right now
let installed = false;
const realExit = process.exit;

/** Ends this thread for real (a retiring pool worker), whatever task context the caller runs in. */
export function exitThread(code: number): never {
  return realExit.call(process, code);
}

function install(): void {
  installed = true;
  const exit = realExit;
  process.exit = function exit_(this: unknown, code?: number | string | null) {
    const fn = isMainThread ? running : current.getStore()?.fn;
    if (fn !== undefined) {
      const where = isMainThread ? 'while it ran on the main thread' : 'on a pool worker';
      throw new WorkerDiedError(`${item ?? describeFunction(fn)} called process.exit(${code ?? ''}) ${where}; `
        + 'a forked call ends only itself, so only this call fails and the program goes on');
    }
    return exit.call(process, code);
  } as typeof process.exit;
}

/** Calls a forked function on the main thread. */
export function callGuarded(fn: Function, args: unknown[]): unknown {
  if (!isMainThread) return fn(...args);
  if (!installed) install();
  const outer = running;
  running = fn;
  try {
    return fn(...args);
  } finally {
    running = outer;
  }
}

/** Calls a task's function on a pool worker, inside its async context. */
export function callInContext(run: TaskRun, fn: Function, args: unknown[]): unknown {
  if (!installed) install();
  return current.run(run, () => fn(...args));
}

/** Calls one item's function inside a batch task, so a process.exit there names that function, not the runner. */
export function callItem(name: string, fn: Function, args: unknown[]): unknown {
  const outer = item;
  item = name;
  try {
    return fn(...args);
  } finally {
    item = outer;
  }
}
