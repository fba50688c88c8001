// map, par and their blocking forms.
import { CallRun } from './call.js';
import { executorFor } from './executors.js';
import type { Future } from './future.js';
import { readOptions, type ExecutorName, type ParallelOptions } from './options.js';
import { planMap, planPar } from './plan.js';
import type { Results } from './results.js';
import { runAsync } from './run-async.js';
import { runSync } from './run-sync.js';

type AnyFunction = (...args: any[]) => any;
type Value<F extends AnyFunction> = Awaited<ReturnType<F>>;

/** A par entry: `[fn, ...args]` or `future(fn, ...args)`. */
export type ParTask = readonly [AnyFunction, ...unknown[]] | Future<unknown>;
export type ParValue<T> = T extends Future<infer R> ? Awaited<R>
  : T extends readonly [infer F extends AnyFunction, ...unknown[]] ? Awaited<ReturnType<F>> : unknown;
export type ParTasks = readonly ParTask[] | { readonly [key: string]: ParTask };
export type ParResults<T extends ParTasks> = Results<{ -readonly [K in keyof T]: ParValue<T[K]> }>;
export type MapInputs = Iterable<unknown> | { readonly [key: string]: unknown };
export type MapResults<F extends AnyFunction, I> = I extends Iterable<unknown>
  ? Results<Value<F>[]> : Results<{ -readonly [K in keyof I]: Value<F> }>;

export function name(base: string, executor: ExecutorName | undefined): string {
  return executor ? `${executor}.${base}` : base;
}

export function prepareMap(base: string, fn: unknown, inputs: unknown, options: ParallelOptions | undefined, forced?: ExecutorName): CallRun {
  const where = name(base, forced);
  const opts = readOptions(where, options);
  const executor = executorFor(forced ?? opts.executor);
  return new CallRun(planMap(where, fn, inputs, opts), opts, executor);
}

export function preparePar(base: string, tasks: unknown, options: ParallelOptions | undefined, forced?: ExecutorName): CallRun {
  const where = name(base, forced);
  const opts = readOptions(where, options);
  const executor = executorFor(forced ?? opts.executor);
  return new CallRun(planPar(where, tasks, opts), opts, executor);
}

function settle<T>(make: () => CallRun): Promise<T> {
  let run: CallRun;
  try { run = make(); } catch (e) { return Promise.reject(e); }
  return runAsync(run) as Promise<T>;
}

/**
 * Calls fn once per item on the pool's workers. An array or any iterable gives an array in input order;
 * a plain object gives an object with the same keys.
 */
export function map<F extends AnyFunction, I extends MapInputs>(fn: F, inputs: I, options?: ParallelOptions): Promise<MapResults<F, I>> {
  return settle(() => prepareMap('map', fn, inputs, options));
}

/** Runs different functions side by side: entries are `[fn, ...args]` or `future(fn, ...args)`. */
export function par<T extends ParTasks>(tasks: T, options?: ParallelOptions): Promise<ParResults<T>> {
  return settle(() => preparePar('par', tasks, options));
}

/** map, blocking the calling thread (the pool stays busy meanwhile; either executor). */
export function mapSync<F extends AnyFunction, I extends MapInputs>(fn: F, inputs: I, options?: ParallelOptions): MapResults<F, I> {
  return runSync(prepareMap('mapSync', fn, inputs, options)) as MapResults<F, I>;
}

/** par, blocking the calling thread (either executor). */
export function parSync<T extends ParTasks>(tasks: T, options?: ParallelOptions): ParResults<T> {
  return runSync(preparePar('parSync', tasks, options)) as ParResults<T>;
}

export { settle as startCall };
