// A forked call that ends its thread with process.exit() fails only its own task: on a pool worker the supervisor
// sees the worker exit; on the main thread (helping a join, or running the call inline because the pool was busy)
// process.exit would end the whole program, so while such a call runs it throws the same WorkerDiedError instead.
import { isMainThread } from 'node:worker_threads';
import { WorkerDiedError } from '../errors.js';
import { describeFunction } from '../function-ref.js';

export function callGuarded(fn: Function, args: unknown[]): unknown {
  if (!isMainThread) return fn(...args);
  const exit = process.exit;
  process.exit = ((code?: number | string | null) => {
    throw new WorkerDiedError(`${describeFunction(fn)} called process.exit(${code ?? ''}) while it ran on the main thread; `
      + 'a forked call ends only its own worker, so only this call fails and the program goes on');
  }) as typeof process.exit;
  try {
    return fn(...args);
  } finally {
    process.exit = exit;
  }
}
