// Worker side: applies one function to many items in one task (a chunk), so a million trivial items
// cost a few messages, not a million. Runs in thread workers (loaded by module ref) and in the
// process executor's child processes. Never throws for an item: each failure is returned serialized.
import { describeFunction, loadFunction, loadedModule, type FunctionRef } from '../function-ref.js';
import { serializeError } from '../errors.js';
import { hoist } from '../markers.js';
import { deserialize, serialize } from 'node:v8';
import { cloneProblem } from '../scheduler/codec.js';
import { callItem } from '../scheduler/exit-guard.js';

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
      const v = callItem(ref.name || describeFunction(fn), fn, Array.isArray(item) ? item : [item]);
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
  const name = ref.name || 'the function';
  if (pending === undefined) return { values: sendable(values, errors, name), errors, ms: performance.now() - t0 };
  return Promise.all(pending).then(() => {
    sendable(values, errors, name);
    errors.sort((a, b) => a[0] - b[0]);
    return { values, errors, ms: performance.now() - t0 };
  });
}

/**
 * A value that cannot be cloned back (a function, a class with private state...) fails its own item, naming the
 * function, instead of failing the whole chunk.
 */
function sendable(values: unknown[], errors: [number, unknown][], name: string): unknown[] {
  for (let i = 0; i < values.length; i++) {
    const problem = cloneProblem(values[i]);
    if (problem === undefined) continue;
    errors.push([i, serializeError(new TypeError(`the value ${name} returned cannot be sent back from the worker (${(problem as Error).message}); return plain data`))]);
    values[i] = undefined;
  }
  errors.sort((a, b) => a[0] - b[0]);
  return values;
}

hoist(runChunk, import.meta.url, 'runChunk');

/**
 * runChunk for child processes: arguments and results cross as one v8-serialized byte array each, the cheapest
 * way through their transport (one serializer call, then plain bytes).
 */
export function runChunkBytes(payload: Uint8Array): Uint8Array | Promise<Uint8Array> {
  const [ref, items, stopAtFirstError] = deserialize(payload) as [FunctionRef, unknown[], boolean];
  const result = runChunk(ref, items, stopAtFirstError);
  return result instanceof Promise ? result.then(encodeChunkResult) : encodeChunkResult(result);
}

/** Serializes a chunk's result; values that cannot cross become failures of their own items. */
export function encodeChunkResult(result: ChunkResult): Uint8Array {
  try {
    return serialize(result);
  } catch {
    const { values, errors } = result;
    for (let i = 0; i < values.length; i++) {
      if (errors.some(([k]) => k === i)) continue;
      try { serialize(values[i]); } catch (e) {
        const error = new TypeError(`the value returned cannot be sent back from the worker (${(e as Error).message})`);
        errors.push([i, serializeError(error)]);
        values[i] = undefined;
      }
    }
    errors.sort((a, b) => a[0] - b[0]);
    return serialize(result);
  }
}

hoist(runChunkBytes, import.meta.url, 'runChunkBytes');
