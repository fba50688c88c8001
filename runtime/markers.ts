// Function markers: which pool a fork uses, and how the function reaches a worker.
import { fork } from './fork.js';
import { rememberHoisted } from './errors.js';
import type { Lazy } from './lazy.js';

/** Key of the metadata tsfork keeps on a function (docs/internals.md "Function metadata"). */
export const META: unique symbol = Symbol.for('tsfork.meta');

export type MarkerKind = 'cpu' | 'io' | 'unsafe';
/** A function exported from a module: absolute file: URL of the module and the export name. */
export interface ModuleRef { module: string; name: string }
export interface FunctionMeta {
  kind: MarkerKind;
  ref?: ModuleRef;
  target?: Function;
}

type AnyFunction = (...args: any[]) => any;
/** What a `cpuBoundFork` / `ioBoundFork` wrapper returns: the call's value, lazily. */
export type Forked<F extends AnyFunction> = (...args: Parameters<F>) => Lazy<Awaited<ReturnType<F>>>;

export function metaOf(fn: Function): FunctionMeta | undefined {
  return (fn as { [META]?: FunctionMeta })[META];
}

function setMeta(fn: Function, meta: FunctionMeta): void {
  Object.defineProperty(fn, META, { value: meta, configurable: true, writable: true, enumerable: false });
}

function expectFunction(fn: unknown, marker: string): asserts fn is Function {
  if (typeof fn !== 'function') {
    throw new TypeError(`${marker}(fn): expected a function, got ${fn === null ? 'null' : typeof fn}`);
  }
}

function mark<F extends Function>(fn: F, kind: MarkerKind, marker: string): F {
  expectFunction(fn, marker);
  setMeta(fn, { ...metaOf(fn), kind });
  return fn;
}

/** fork runs fn on the CPU pool (the default for unmarked functions too). Returns fn. */
export function cpuBound<F extends Function>(fn: F): F { return mark(fn, 'cpu', 'cpuBound'); }
/** fork runs fn on the I/O pool, where async functions run concurrently. Returns fn. */
export function ioBound<F extends Function>(fn: F): F { return mark(fn, 'io', 'ioBound'); }
/** fork runs fn inline, in the calling thread, sequentially. Returns fn. */
export function unsafe<F extends Function>(fn: F): F { return mark(fn, 'unsafe', 'unsafe'); }

interface MethodContext { kind: string; static?: boolean; name: string | symbol }

function forkWrapper<F extends AnyFunction>(fn: F, kind: 'cpu' | 'io', marker: string): Forked<F> {
  expectFunction(fn, marker);
  const own = metaOf(fn);
  // A wrapper of a wrapper forks the original function: never a fork of a fork.
  const target = (own?.target ?? fn) as F;
  setMeta(target, { ...metaOf(target), kind });
  const wrapper = function (this: unknown, ...args: Parameters<F>) {
    return fork(target, ...args);
  } as Forked<F>;
  Object.defineProperty(wrapper, 'name', { value: target.name, configurable: true });
  setMeta(wrapper, { kind, target, ref: metaOf(target)?.ref });
  return wrapper;
}

function markerOrDecorator(kind: 'cpu' | 'io', marker: string) {
  function apply<F extends AnyFunction>(fn: F): Forked<F>;
  function apply<F extends AnyFunction>(fn: F, context: MethodContext): Forked<F>;
  function apply<F extends AnyFunction>(fn: F, context?: MethodContext): Forked<F> {
    if (context !== undefined) {
      // TS standard decorator: only static methods, since an instance's `this` cannot travel to a worker.
      if (context.kind !== 'method' || !context.static) {
        throw new TypeError(`@${marker} decorates static methods only; '${String(context.name)}' is a ${context.static ? 'static ' : 'non-static '}${context.kind}`);
      }
    }
    return forkWrapper(fn, kind, marker);
  }
  return apply;
}

/** Returns a function whose every call is `fork(fn, ...args)` on the CPU pool. Also a static-method decorator. */
export const cpuBoundFork = markerOrDecorator('cpu', 'cpuBoundFork');
/** Returns a function whose every call is `fork(fn, ...args)` on the I/O pool. Also a static-method decorator. */
export const ioBoundFork = markerOrDecorator('io', 'ioBoundFork');

/**
 * What the compiler emits after each marked function: tells fork that workers load fn as export `exportName`
 * of `moduleUrl` (an absolute file: URL). Returns fn.
 */
export function hoist<F extends Function>(fn: F, moduleUrl: string, exportName: string, kind?: MarkerKind): F {
  expectFunction(fn, 'hoist');
  if (typeof moduleUrl !== 'string' || !moduleUrl.startsWith('file:')) {
    throw new TypeError(`hoist(${fn.name || 'fn'}, moduleUrl, ...): moduleUrl must be an absolute file: URL, got ${JSON.stringify(moduleUrl)}`);
  }
  if (typeof exportName !== 'string' || exportName === '') {
    throw new TypeError(`hoist(${fn.name || 'fn'}, ${moduleUrl}, exportName): exportName must be a non-empty string`);
  }
  rememberHoisted(moduleUrl, exportName, fn);
  const old = metaOf(fn);
  const ref = { module: moduleUrl, name: exportName };
  setMeta(fn, { ...old, kind: kind ?? old?.kind ?? 'cpu', ref });
  // A hoisted fork wrapper: its target loads by the same ref.
  if (old?.target) setMeta(old.target, { ...metaOf(old.target), kind: kind ?? metaOf(old.target)?.kind ?? 'cpu', ref });
  return fn;
}
