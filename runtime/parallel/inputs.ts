// Reading map inputs and par tasks: arrays and any iterable give arrays in input order,
// plain objects give objects with the same keys.
import { Future } from './future.js';
import { describe, isPlainObject } from './options.js';

export interface Inputs {
  keys: string[] | null; // null: results are an array
  items: unknown[];
}

export function readInputs(where: string, inputs: unknown): Inputs {
  if (Array.isArray(inputs)) return { keys: null, items: inputs };
  if (typeof inputs === 'string') {
    throw new TypeError(`${where}: inputs is a string; pass an array of items (e.g. [text] or [...text])`);
  }
  if (inputs !== null && typeof inputs === 'object') {
    if (typeof (inputs as any)[Symbol.iterator] === 'function') {
      return { keys: null, items: Array.from(inputs as Iterable<unknown>) };
    }
    if (isPlainObject(inputs)) return { keys: Object.keys(inputs), items: Object.values(inputs) };
    if (typeof (inputs as any)[Symbol.asyncIterator] === 'function') {
      throw new TypeError(`${where}: inputs is an async iterable; collect it first (e.g. await Array.fromAsync(it))`);
    }
  }
  throw new TypeError(`${where}: inputs must be an array, an iterable or a plain object, got ${describe(inputs)}`);
}

export interface ParEntry {
  fn: Function;
  args: unknown[];
  exact: boolean; // future(...): no merging of extras
}

export function readParTasks(where: string, tasks: unknown): { keys: string[] | null; entries: ParEntry[] } {
  let keys: string[] | null;
  let values: unknown[];
  if (Array.isArray(tasks)) { keys = null; values = tasks; }
  else if (isPlainObject(tasks)) { keys = Object.keys(tasks); values = Object.values(tasks); }
  else throw new TypeError(`${where}: tasks must be an object or an array of [fn, ...args] or future(fn, ...args), got ${describe(tasks)}`);
  const entries = values.map((v, i): ParEntry => {
    if (v instanceof Future) return { fn: v.fn, args: v.args.slice(), exact: true };
    if (Array.isArray(v) && typeof v[0] === 'function') return { fn: v[0], args: v.slice(1), exact: false };
    const place = keys === null ? `entry ${i}` : `entry ${JSON.stringify(keys[i])}`;
    const got = Array.isArray(v) ? `an array whose first element is ${describe(v[0])}` : describe(v);
    throw new TypeError(`${where}: ${place} is neither [fn, ...args] nor future(fn, ...args): got ${got}`);
  });
  return { keys, entries };
}
