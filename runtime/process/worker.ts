// Entry of the process executor's child processes (workerpool workerType 'process'):
// runs chunks with the same runner, function refs and error serialization as thread workers.
// Chunks travel as v8-serialized bytes both ways, so a value that cannot cross fails where it is
// made, naming its item, instead of inside workerpool's IPC send (an uncaught exception there).
import workerpool from 'workerpool';
import { Worker } from 'node:worker_threads';
import { runChunkBytes } from '../parallel/chunk-runner.js';

// A child must not outlive its parent (killed by a signal, crashed, process.exit). workerpool's 'disconnect'
// handler cannot run while a task keeps this thread busy, so a watchdog thread checks that the parent is still
// ours (an orphan is re-parented) and kills this process otherwise, whatever its main thread is doing.
const WATCHDOG = `
const { workerData: parent } = require('node:worker_threads');
setInterval(() => { if (process.ppid !== parent) process.kill(process.pid, 'SIGKILL'); }, 200);
`;
new Worker(WATCHDOG, { eval: true, workerData: process.ppid, execArgv: [], stdout: false, stderr: false }).unref();

workerpool.worker({ runChunk: runChunkBytes });
