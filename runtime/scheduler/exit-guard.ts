// A forked call that ends its thread with process.exit() fails only its own task: on a pool worker the supervisor
// sees the worker exit; on the main thread (helping a join, or running the call inline because the pool was busy)
// process.exit would end the whole program, so while such a call runs it throws the same WorkerDiedError instead.
// process.exit is wrapped once, the first time a forked call runs on the main thread; each call then costs a
// counter, not two writes to `process` (which made trivial forks 3x slower).
import { isMainThread } from 'node:worker_threads';
import { WorkerDiedError } from '../errors.js';
import { describeFunction } from '../function-ref.js';

let running: Function | undefined;
let installed = false;

function install(): void {
  installed = true;
  const exit = process.exit;
  process.exit = function exit_(this: unknown, code?: number | string | null) {
    if (running !== undefined) {
      throw new WorkerDiedError(`${describeFunction(running)} called process.exit(${code ?? ''}) while it ran on the main thread; `
        + 'a forked call ends only its own worker, so only this call fails and the program goes on');
    }
    return exit.call(process, code);
  } as typeof process.exit;
}

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
