// Public API of 'tsfork'.
export { fork, join, joinFirst, awaitFirst, joinLoop, joinLoopAsync, logPush, logStore } from './fork.js';
export { isLazy, type Lazy } from './lazy.js';
export { move } from './move.js';
export {
  META, cpuBound, ioBound, unsafe, cpuBoundFork, ioBoundFork, hoist,
  type FunctionMeta, type MarkerKind, type ModuleRef, type Forked,
} from './markers.js';
export { configure, type Config } from './config.js';
export { ForkError, JoinError, WorkerDiedError, TaskCancelledError, serializeError, reviveError, type SerializedError } from './errors.js';
export { toFunctionRef, loadFunction, type FunctionRef } from './function-ref.js';
export { submit, type Task, type TaskState, type SubmitOptions, type PoolKind } from './scheduler/index.js';
export * from './parallel/index.js';
