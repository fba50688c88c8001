// The two executors map/par run chunks on: the runtime's thread pool (the same one fork uses) and the
// process pool (workerpool child processes). Both run the same chunk runner.
import { availableParallelism } from 'node:os';
import { deserialize, serialize } from 'node:v8';
import { submit } from '../scheduler/index.js';
import type { FunctionRef } from '../function-ref.js';
import { runChunk, type ChunkResult } from './chunk-runner.js';
import { execInProcess, processPoolSize } from '../process/pool.js';
import { PROCESS_EXECUTOR, type ExecutorName } from './options.js';

export interface ChunkTask {
  promise: Promise<ChunkResult>;
  /** Stops the chunk: removed if queued, its worker ended (and replaced) if running. */
  cancel(): void;
  /**
   * Blocks until the chunk is done. `deadline` (a performance.now() time, process executor only): returns
   * undefined if it passes first, the chunk still running.
   */
  join?(deadline?: number): ChunkResult | undefined;
  /** Blocks until a cancelled chunk has really stopped (process executor: its child process exited). */
  waitStopped?(): void;
}

export interface Executor {
  name: ExecutorName;
  /** Workers in the pool (decides how many chunks are kept in flight). */
  size(): number;
  start(ref: FunctionRef, items: unknown[], stopAtFirstError: boolean, kind: 'cpu' | 'io'): ChunkTask;
}

const threadExecutor: Executor = {
  name: 'thread',
  size: () => availableParallelism(),
  start(ref, items, stopAtFirstError, kind) {
    // The pool's transport already packs a big chunk with one serializer call, as structuredClone would (a
    // SharedArrayBuffer item stays shared, typed arrays own their buffers); an uncloneable argument throws now.
    const task = submit<ChunkResult>(runChunk, [ref, items, stopAtFirstError], { kind });
    return { promise: task.promise, cancel: () => task.cancel(), join: () => task.join() };
  },
};

const processExecutor: Executor = {
  name: 'process',
  size: processPoolSize,
  start(ref, items, stopAtFirstError) {
    // serialized here so an argument that cannot be cloned throws now (see process/worker.ts)
    const payload = serialize([ref, items, stopAtFirstError]);
    const task = execInProcess('runChunk', [payload]);
    const decode = (bytes: unknown) => deserialize(bytes as Uint8Array) as ChunkResult;
    let decoded: Promise<ChunkResult> | undefined;
    return {
      // made on demand: a blocking caller never reads it, and an unread rejection would be reported as unhandled
      get promise() { return decoded ??= task.promise.then(decode); },
      cancel: task.cancel,
      join: (deadline) => {
        const bytes = task.join(deadline);
        return bytes === undefined ? undefined : decode(bytes);
      },
      waitStopped: task.waitSettled,
    };
  },
};

export function executorFor(name: ExecutorName | undefined): Executor {
  return name === PROCESS_EXECUTOR ? processExecutor : threadExecutor;
}
