// Entry of the process executor's child processes (workerpool workerType 'process'):
// runs chunks with the same runner, function refs and error serialization as thread workers.
// Chunks travel as v8-serialized bytes both ways, so a value that cannot cross fails where it is
// made, naming its item, instead of inside workerpool's IPC send (an uncaught exception there).
import workerpool from 'workerpool';
import { deserialize, serialize } from 'node:v8';
import { runChunk, type ChunkResult } from '../parallel/chunk-runner.js';
import { serializeError } from '../errors.js';

function encode(result: ChunkResult): Uint8Array {
  try {
    return serialize(result);
  } catch {
    // some values cannot cross: they become failures of their own items
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

async function runChunkBytes(payload: Uint8Array): Promise<Uint8Array> {
  const [ref, items, stopAtFirstError] = deserialize(payload);
  return encode(await runChunk(ref, items, stopAtFirstError));
}

workerpool.worker({ runChunk: runChunkBytes });
