// decorate(fn, options?): fn, still callable as before, plus .map, .mapSync, .asyncMap, .thread.map,
// .process.map and .future(...). Works with the process executor: the worker loads the original function.
import { META, metaOf } from '../markers.js';
import { asyncMapOn } from './async-forms.js';
import { Future } from './future.js';
import { prepareMap, startCall, type MapInputs, type MapResults } from './map.js';
import { describe, readOptions, type ExecutorName, type ParallelOptions } from './options.js';
import { runSync } from './run-sync.js';
import type { ParallelJob } from './job.js';

type AnyFunction = (...args: any[]) => any;

interface BoundMaps<F extends AnyFunction> {
  map<I extends MapInputs>(inputs: I, options?: ParallelOptions): Promise<MapResults<F, I>>;
  mapSync<I extends MapInputs>(inputs: I, options?: ParallelOptions): MapResults<F, I>;
  asyncMap<I extends MapInputs>(inputs: I, options?: ParallelOptions): ParallelJob<MapResults<F, I>>;
}

export type Decorated<F extends AnyFunction> = F & BoundMaps<F> & {
  thread: BoundMaps<F>;
  process: BoundMaps<F>;
  /** A par entry calling fn with exactly these arguments. */
  future(...args: Parameters<F>): Future<ReturnType<F>>;
};

export function decorate<F extends AnyFunction>(fn: F, defaults?: ParallelOptions): Decorated<F> {
  if (typeof fn !== 'function') throw new TypeError(`decorate: expected a function, got ${describe(fn)}`);
  const base = readOptions('decorate', defaults);
  const target = (metaOf(fn)?.target ?? fn) as F;
  const decorated = function (this: unknown, ...args: Parameters<F>): ReturnType<F> {
    return target.apply(this, args);
  } as Decorated<F>;
  Object.defineProperty(decorated, 'name', { value: target.name, configurable: true });
  Object.defineProperty(decorated, 'length', { value: target.length, configurable: true });
  // fork and map send the original function (hoisted ref or source), never this wrapper
  Object.defineProperty(decorated, META, {
    value: { kind: metaOf(target)?.kind ?? 'cpu', target }, configurable: true, writable: true, enumerable: false,
  });
  // A call's options win over decorate's, except `extras`, which merge (the call's keys winning), as an item's
  // own keys win over extras.
  const merged = (options: ParallelOptions | undefined): ParallelOptions => {
    const out = { ...base, ...options };
    if (base.extras && options?.extras && typeof options.extras === 'object') out.extras = { ...base.extras, ...options.extras };
    return out;
  };
  const maps = (executor: ExecutorName | undefined): BoundMaps<F> => ({
    map: (inputs, options) => startCall(() => prepareMap('map', decorated, inputs, merged(options), executor)),
    mapSync: (inputs, options) => runSync(prepareMap('mapSync', decorated, inputs, merged(options), executor)) as any,
    asyncMap: (inputs, options) => asyncMapOn(executor, decorated, inputs, merged(options)) as any,
  });
  Object.assign(decorated, maps(undefined), {
    thread: maps('thread'),
    process: maps('process'),
    future: (...args: Parameters<F>) => new Future(decorated, args),
  });
  return decorated;
}
