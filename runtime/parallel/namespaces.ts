// parallel.thread.* and parallel.process.*: the same calls bound to one executor.
import { asyncMapOn, asyncParOn } from './async-forms.js';
import { prepareMap, preparePar, startCall, type MapInputs, type MapResults, type ParResults, type ParTasks } from './map.js';
import type { ExecutorName, ParallelOptions } from './options.js';
import { runSync } from './run-sync.js';

type AnyFunction = (...args: any[]) => any;

function bound(executor: ExecutorName) {
  return {
    map: <F extends AnyFunction, I extends MapInputs>(fn: F, inputs: I, options?: ParallelOptions): Promise<MapResults<F, I>> =>
      startCall(() => prepareMap('map', fn, inputs, options, executor)),
    par: <T extends ParTasks>(tasks: T, options?: ParallelOptions): Promise<ParResults<T>> =>
      startCall(() => preparePar('par', tasks, options, executor)),
    mapSync: <F extends AnyFunction, I extends MapInputs>(fn: F, inputs: I, options?: ParallelOptions): MapResults<F, I> =>
      runSync(prepareMap('mapSync', fn, inputs, options, executor)) as MapResults<F, I>,
    parSync: <T extends ParTasks>(tasks: T, options?: ParallelOptions): ParResults<T> =>
      runSync(preparePar('parSync', tasks, options, executor)) as ParResults<T>,
    asyncMap: <F extends AnyFunction, I extends MapInputs>(fn: F, inputs: I, options?: ParallelOptions) =>
      asyncMapOn(executor, fn, inputs, options),
    asyncPar: <T extends ParTasks>(tasks: T, options?: ParallelOptions) => asyncParOn(executor, tasks, options),
  };
}

/** map/par & co. on worker threads (the default executor). */
export const thread = bound('thread');
/** map/par & co. on child processes (workerpool). */
export const process = bound('process');
