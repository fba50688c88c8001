// The map/par API (modeled on Python's `parallel`), exported from 'tsfork'.
export { map, par, mapSync, parSync } from './map.js';
export type { ParTask, ParTasks, ParResults, MapInputs, MapResults } from './map.js';
export { asyncMap, asyncPar } from './async-forms.js';
export { ParallelJob, type JobStatus } from './job.js';
export { thread, process } from './namespaces.js';
export { decorate, type Decorated } from './decorate.js';
export { arg, Arg } from './arg.js';
export { future, Future } from './future.js';
export { FailedTask } from './failed-task.js';
export type { Results, ResultsInfo } from './results.js';
export { THREAD_EXECUTOR, PROCESS_EXECUTOR, type ExecutorName, type ParallelOptions } from './options.js';
export { TimeoutError, ShutdownError } from './errors.js';
export { terminateProcessPool } from '../process/pool.js';
