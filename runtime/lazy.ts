// Lazy results: what fork returns. A Proxy that behaves like the value and waits for it only when the value is
// needed (property, call, index, iteration, String, arithmetic/comparison, JSON.stringify); thenable for await.
import { inspect } from 'node:util';

/** Anything a lazy result can wait on: a scheduler Task, or an already settled inline result. */
export interface Joinable<T> {
  join(): T;
  readonly promise: Promise<T>;
}

/** The value, usable as the value; `await` gives the value without blocking. */
export type Lazy<T> = T & PromiseLike<T>;

// Only the proxy's get trap answers this key; for any other object it is a missing property. (Cheaper than a
// WeakMap of every lazy result, which recursive forks create by the hundred thousand.)
const JOINABLE = Symbol('tsfork.joinable');

/** True for a lazy result returned by fork (or a fork wrapper). */
export function isLazy(x: unknown): boolean {
  return typeof x === 'object' && x !== null && (x as { [JOINABLE]?: unknown })[JOINABLE] !== undefined;
}

/** The Joinable behind a lazy result, or undefined for anything else. */
export function joinableOf(x: unknown): Joinable<unknown> | undefined {
  return typeof x === 'object' && x !== null ? (x as { [JOINABLE]?: Joinable<unknown> })[JOINABLE] : undefined;
}

/**
 * Arguments for a call that crosses to a worker: a lazy result is replaced (in place) by its value, joined now
 * (the sequential call would have needed it too); a proxy cannot be cloned.
 */
export function argValues(args: unknown[]): unknown[] {
  for (let i = 0; i < args.length; i++) {
    const j = joinableOf(args[i]);
    if (j !== undefined) args[i] = j.join();
  }
  return args;
}

function toPrimitive(v: unknown, hint: string): unknown {
  if (v === null || (typeof v !== 'object' && typeof v !== 'function')) return v;
  const o = v as Record<PropertyKey, any>;
  if (typeof o[Symbol.toPrimitive] === 'function') return o[Symbol.toPrimitive](hint);
  if (hint === 'string') return String(o);
  const p = o.valueOf();
  return p !== null && typeof p === 'object' ? String(o) : p;
}

function bindIfFunction(r: unknown, self: unknown): unknown {
  return typeof r === 'function' ? (r as Function).bind(self) : r;
}

// The proxy's target: holds the joinable, and shows the value (not the proxy's internals) in console.log.
class Pending {
  constructor(readonly joinable: Joinable<unknown>) {}
  [inspect.custom](depth: number, options: object): string {
    // Node calls this with the proxy or the target as `this`, depending on the version.
    const j = joinableOf(this) ?? this.joinable;
    return inspect(j.join(), { ...options, depth });
  }
}

const handler: ProxyHandler<Pending> = {
  get(target, prop) {
    const j = target.joinable;
    if (prop === JOINABLE) return j;
    if (prop === 'then') {
      const p = j.promise;
      return p.then.bind(p);
    }
    if (prop === inspect.custom) return target[inspect.custom].bind(target);
    if (prop === Symbol.toPrimitive) return (hint: string) => toPrimitive(j.join(), hint);
    const v = j.join();
    if (prop === 'toJSON') {
      const own = v !== null && v !== undefined ? (Object(v) as { toJSON?: unknown }).toJSON : undefined;
      return typeof own === 'function' ? own.bind(v) : () => v;
    }
    if (v === null || v === undefined) return undefined;
    return bindIfFunction(Reflect.get(Object(v), prop), v);
  },
  has(target, prop) {
    const v = target.joinable.join();
    return v !== null && v !== undefined && prop in Object(v);
  },
  ownKeys(target) {
    const v = target.joinable.join();
    return v === null || v === undefined ? [] : Reflect.ownKeys(Object(v));
  },
  getOwnPropertyDescriptor(target, prop) {
    const v = target.joinable.join();
    if (v === null || v === undefined) return undefined;
    const d = Reflect.getOwnPropertyDescriptor(Object(v), prop);
    // Proxy invariant: a property the target lacks cannot be reported non-configurable.
    if (d) d.configurable = true;
    return d;
  },
  getPrototypeOf(target) {
    const v = target.joinable.join();
    return v === null || v === undefined ? null : Reflect.getPrototypeOf(Object(v));
  },
  set(target, prop, value) {
    const v = target.joinable.join();
    return v !== null && typeof v === 'object' ? Reflect.set(v, prop, value) : false;
  },
  deleteProperty(target, prop) {
    const v = target.joinable.join();
    return v !== null && typeof v === 'object' ? Reflect.deleteProperty(v, prop) : false;
  },
};

/** Wraps a joinable in a lazy result. */
export function makeLazy<T>(joinable: Joinable<T>): Lazy<T> {
  const proxy = new Proxy(new Pending(joinable), handler);
  return proxy as unknown as Lazy<T>;
}
