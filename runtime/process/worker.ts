// Entry of the process executor's child processes (workerpool workerType 'process'):
// runs chunks with the same runner, function refs and error serialization as thread workers.
import workerpool from 'workerpool';
import { runChunk } from '../parallel/chunk-runner.js';

workerpool.worker({ runChunk });
