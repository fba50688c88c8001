// fork / join and the forking markers, with the Node runtime's signatures (docs/internals.md).
import { currentHost } from './host';
import { isLazy, Lazy } from './lazy';
import { META, metaOf, type FunctionMeta, type MarkerKind } from './markers';
import { createReply } from './reply';
import { makeLoopJoins } from '../../../runtime/loop-joins';
export { logPush, logStore } from '../../../runtime/loop-joins';

let counter = 0;

function describe(fn: Function): string {
  return fn.name ? `${fn.name}()` : 'an anonymous function';
}

function runInline<R>(taskId: string, fn: Function, args: unknown[]): Lazy<Awaited<R>> {
  try {
    const value = fn(...args) as unknown;
    if (value instanceof Promise) return new Lazy(taskId, undefined, value as Promise<Awaited<R>>);
    return new Lazy(taskId, undefined, { ok: true, value: value as Awaited<R> });
  } catch (error) {
    // As in the parallel run, the error surfaces where the result is used, not at the fork.
    return new Lazy(taskId, undefined, { ok: false, error });
  }
}

/** Start fn(...args) on a worker now; the value comes later (join it, or await it). */
export function fork<A extends unknown[], R>(fn: (...args: A) => R, ...args: A): Lazy<Awaited<R>> {
  if (typeof fn !== 'function') {
    throw new TypeError(`tsfork: fork() expects a function as its first argument, got ${fn === null ? 'null' : typeof fn}`);
  }
  const meta = metaOf(fn);
  // Forking a forking wrapper forks what it wraps: never a fork of a fork.
  const target = meta?.target ?? fn;
  const targetMeta: FunctionMeta | undefined = metaOf(target) ?? meta;
  const kind: MarkerKind = targetMeta?.kind ?? meta?.kind ?? 'cpu';
  const host = currentHost();
  const taskId = `${host?.workerId ?? 'page'}.${++counter}`;
  if (!host || host.mode === 'sequential' || kind === 'unsafe') return runInline(taskId, target, args);

  const ref = targetMeta?.ref ?? meta?.ref;
  const reply = createReply();
  try {
    const primitive = args.every((arg) => arg === null || (typeof arg !== 'object' && typeof arg !== 'function'));
    let argsPort: MessagePort | undefined;
    if (!primitive) {
      const channel = new MessageChannel();
      channel.port1.postMessage(args);
      argsPort = channel.port2;
    }
    host.post({
      type: 'fork',
      task: {
        id: taskId,
        kind,
        name: target.name || 'anonymous',
        ...(ref ? { ref } : { source: Function.prototype.toString.call(target) }),
        ...(argsPort ? { argsPort } : { args }),
        reply,
      },
    }, argsPort ? [argsPort] : []);
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw new TypeError(`tsfork: the arguments of ${describe(target)} cannot be sent to a worker: ${why}`);
  }
  return new Lazy(taskId, reply);
}

/** The value of a fork (blocking until it is there); any other value unchanged. */
export function join<T>(value: T): T extends Lazy<infer V> ? V : T {
  return (isLazy(value) ? value.join() : value) as never;
}

function forkingMarker(kind: 'cpu' | 'io', marker: string) {
  // Also a TS standard decorator for static methods: (value, context) => replacement.
  return function mark<F extends (...args: never[]) => unknown>(fn: F, _context?: unknown): F {
    if (typeof fn !== 'function') {
      throw new TypeError(`tsfork: ${marker}() expects a function, got ${fn === null ? 'null' : typeof fn}`);
    }
    const own = metaOf(fn);
    Object.defineProperty(fn, META, { value: { ...own, kind }, configurable: true });
    const wrapper = function (this: unknown, ...args: unknown[]) {
      return fork(wrapper as never, ...(args as never[]));
    };
    Object.defineProperty(wrapper, 'name', { value: fn.name });
    Object.defineProperty(wrapper, META, { value: { kind, target: fn, ...(own?.ref ? { ref: own.ref } : {}) }, configurable: true });
    return wrapper as unknown as F;
  };
}

/** Every call of the returned function forks onto the CPU pool. */
export const cpuBoundFork = forkingMarker('cpu', 'cpuBoundFork');
/** Every call of the returned function forks onto the I/O pool (many at once per worker). */
export const ioBoundFork = forkingMarker('io', 'ioBoundFork');

/** Used by compiled code at the end of a loop that left forks running: the Node runtime's own code (loop-joins.ts). */
export const { joinLoop, joinLoopAsync } = makeLoopJoins(join as (x: unknown) => unknown);

/** One expression's forks (see runtime/fork.ts): the page reports no unjoined failures, so the later ones need no care. */
export function joinFirst(x: unknown, ..._later: unknown[]): unknown { return join(x as never); }
export async function awaitFirst(x: unknown, ..._later: unknown[]): Promise<unknown> { return await x; }
