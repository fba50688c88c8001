// asyncMap / asyncPar: same arguments as map / par; they return a handle that has not started yet.
import { ParallelJob } from './job.js';
import { prepareMap, preparePar, type MapInputs, type MapResults, type ParResults, type ParTasks } from './map.js';
import type { ExecutorName, ParallelOptions } from './options.js';

type AnyFunction = (...args: any[]) => any;

export function asyncMapOn<F extends AnyFunction, I extends MapInputs>(executor: ExecutorName | undefined, fn: F, inputs: I, options?: ParallelOptions) {
  return new ParallelJob<MapResults<F, I>, I extends Iterable<unknown> ? number : keyof I & string, Awaited<ReturnType<F>>>(
    prepareMap('asyncMap', fn, inputs, options, executor));
}

export function asyncParOn<T extends ParTasks>(executor: ExecutorName | undefined, tasks: T, options?: ParallelOptions) {
  return new ParallelJob<ParResults<T>, T extends readonly unknown[] ? number : keyof T & string, unknown>(
    preparePar('asyncPar', tasks, options, executor));
}

/** map as a handle: start(), results(), status, shutdown(), `await using`, `for await` in completion order. */
export function asyncMap<F extends AnyFunction, I extends MapInputs>(fn: F, inputs: I, options?: ParallelOptions) {
  return asyncMapOn(undefined, fn, inputs, options);
}

/** par as a handle (see asyncMap). */
export function asyncPar<T extends ParTasks>(tasks: T, options?: ParallelOptions) {
  return asyncParOn(undefined, tasks, options);
}
