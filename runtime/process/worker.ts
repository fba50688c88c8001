// Entry of the process executor's child processes (workerpool workerType 'process'):
// runs chunks with the same runner, function refs and error serialization as thread workers.
// Chunks travel as v8-serialized bytes both ways, so a value that cannot cross fails where it is
// made, naming its item, instead of inside workerpool's IPC send (an uncaught exception there).
import workerpool from 'workerpool';
import { runChunkBytes } from '../parallel/chunk-runner.js';

workerpool.worker({ runChunk: runChunkBytes });
