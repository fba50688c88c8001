// Results of map/par: a plain array or object of values, plus non-enumerable helpers
// (failures, failed, succeeded, replaceFailed) so results still deep-equal and JSON-serialize as plain values.
import { FailedTask } from './failed-task.js';

export interface ResultsInfo<Shape> {
  /** True if any task failed (silent mode). */
  readonly failures: boolean;
  /** The failed tasks, same shape as the input: an array, or an object under the same keys. */
  readonly failed: Shape extends readonly unknown[] ? FailedTask[] : { [K in keyof Shape]?: FailedTask };
  /** The values of the tasks that succeeded, same shape as the input. */
  readonly succeeded: Shape extends readonly unknown[] ? Shape : Partial<Shape>;
  /** A plain copy with every FailedTask replaced by `value`. */
  replaceFailed<V>(value: V): Shape extends readonly (infer T)[] ? (Exclude<T, FailedTask> | V)[] : { [K in keyof Shape]: Exclude<Shape[K], FailedTask> | V };
}

export type Results<Shape> = Shape & ResultsInfo<Shape>;

function hidden(target: object, name: string, get: () => unknown): void {
  Object.defineProperty(target, name, { get, enumerable: false, configurable: true });
}

/** Builds the results: an array when keys is null, else an object with those keys in order. */
export function makeResults(keys: readonly string[] | null, values: unknown[]): Results<any> {
  if (keys === null) {
    const out = values;
    hidden(out, 'failures', () => out.some((v) => v instanceof FailedTask));
    hidden(out, 'failed', () => out.filter((v) => v instanceof FailedTask));
    hidden(out, 'succeeded', () => out.filter((v) => !(v instanceof FailedTask)));
    Object.defineProperty(out, 'replaceFailed', {
      value: (x: unknown) => out.map((v) => (v instanceof FailedTask ? x : v)),
      enumerable: false, configurable: true, writable: true,
    });
    return out as Results<any>;
  }
  const out: Record<string, unknown> = {};
  for (let i = 0; i < keys.length; i++) out[keys[i]!] = values[i];
  const pick = (keep: (v: unknown) => boolean) => {
    const o: Record<string, unknown> = {};
    for (const k of Object.keys(out)) if (keep(out[k])) o[k] = out[k];
    return o;
  };
  hidden(out, 'failures', () => Object.values(out).some((v) => v instanceof FailedTask));
  hidden(out, 'failed', () => pick((v) => v instanceof FailedTask));
  hidden(out, 'succeeded', () => pick((v) => !(v instanceof FailedTask)));
  Object.defineProperty(out, 'replaceFailed', {
    value: (x: unknown) => {
      const o: Record<string, unknown> = {};
      for (const k of Object.keys(out)) o[k] = out[k] instanceof FailedTask ? x : out[k];
      return o;
    },
    enumerable: false, configurable: true, writable: true,
  });
  return out as Results<any>;
}
