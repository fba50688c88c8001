// Worker side: applies one function to many items in one task (a chunk), so a million trivial items
// cost a few messages, not a million. Runs in thread workers (loaded by module ref) and in the
// process executor's child processes. Never throws for an item: each failure is returned serialized.
import { loadFunction, loadedModule, type FunctionRef } from '../function-ref.js';
import { serializeError } from '../errors.js';
import { hoist } from '../markers.js';

export interface ChunkResult {
  values: unknown[];               // values[i] for item i (a hole where it failed)
  errors: [number, unknown][];     // [index in chunk, serialized error], in index order
  ms: number;                      // time spent running the items, for choosing the chunk size
}

export function runChunk(ref: FunctionRef, items: unknown[], stopAtFirstError: boolean): ChunkResult | Promise<ChunkResult> {
  const fn = loadFunction(ref) as (...args: unknown[]) => unknown;
  const t0 = performance.now();
  const values = new Array<unknown>(items.length);
  const errors: [number, unknown][] = [];
  // with the function's module, a user error class exported from it comes back as that class
  const serialize = (e: unknown) => serializeError(e, 'module' in ref ? { module: ref.module, exports: loadedModule(ref) ?? {} } : undefined);
  let pending: Promise<void>[] | undefined;
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    try {
      const v = Array.isArray(item) ? fn(...item) : fn(item);
      if (v !== null && typeof v === 'object' && typeof (v as PromiseLike<unknown>).then === 'function') {
        // async functions in one chunk run side by side (I/O-bound work)
        (pending ??= []).push(Promise.resolve(v).then(
          (x) => { values[i] = x; },
          (e) => { errors.push([i, serialize(e)]); },
        ));
      } else {
        values[i] = v;
      }
    } catch (e) {
      errors.push([i, serialize(e)]);
      if (stopAtFirstError) { values.length = i; break; }
    }
  }
  if (pending === undefined) return { values, errors, ms: performance.now() - t0 };
  return Promise.all(pending).then(() => {
    errors.sort((a, b) => a[0] - b[0]);
    return { values, errors, ms: performance.now() - t0 };
  });
}

hoist(runChunk, import.meta.url, 'runChunk');
