// Function metadata, the same shape as the Node runtime's (docs/internals.md "Function metadata").
export const META: unique symbol = Symbol.for('tsfork.meta') as never;

export type MarkerKind = 'cpu' | 'io' | 'unsafe';

export interface FunctionRef {
  module: string;
  name: string;
}

export interface FunctionMeta {
  kind: MarkerKind;
  ref?: FunctionRef;
  target?: Function;
}

type Marked = Function & { [META]?: FunctionMeta };

export function metaOf(fn: Function): FunctionMeta | undefined {
  return (fn as Marked)[META];
}

function setMeta(fn: Function, patch: Partial<FunctionMeta>): void {
  const current = metaOf(fn) ?? { kind: 'cpu' as const };
  Object.defineProperty(fn, META, { value: { ...current, ...patch }, configurable: true, enumerable: false });
}

function requireFunction(fn: unknown, marker: string): asserts fn is Function {
  if (typeof fn !== 'function') {
    throw new TypeError(`tsfork: ${marker}() expects a function, got ${fn === null ? 'null' : typeof fn}`);
  }
}

function classify(kind: MarkerKind, marker: string) {
  return <F extends Function>(fn: F): F => {
    requireFunction(fn, marker);
    setMeta(fn, { kind });
    return fn;
  };
}

export const cpuBound = classify('cpu', 'cpuBound');
export const ioBound = classify('io', 'ioBound');
export const unsafe = classify('unsafe', 'unsafe');

/** What the compiler emits after each marked function: where a worker finds it. */
export function hoist<F extends Function>(fn: F, moduleUrl: string, exportName: string, kind?: MarkerKind): F {
  requireFunction(fn, 'hoist');
  const ref = { module: moduleUrl, name: exportName };
  setMeta(fn, kind ? { ref, kind } : { ref });
  const target = metaOf(fn)?.target;
  if (target) setMeta(target, kind ? { ref, kind } : { ref });
  return fn;
}
