// future(fn, ...args): one par entry, passed exactly as given (no merging of extras).
import { describe } from './options.js';

export class Future<R = unknown> {
  readonly fn: (...args: any[]) => R;
  readonly args: readonly unknown[];
  constructor(fn: (...args: any[]) => R, args: unknown[]) {
    if (typeof fn !== 'function') {
      throw new TypeError(`future: first argument must be the function to run, got ${describe(fn)}`);
    }
    this.fn = fn;
    this.args = Object.freeze(args.slice());
  }
}

/** A par entry: fn called with exactly these arguments. */
export function future<A extends unknown[], R>(fn: (...args: A) => R, ...args: A): Future<R> {
  return new Future(fn, args);
}
