// fork and join: start a call now, take its value later.
import { JoinError, atCallSite } from './errors.js';
import { argValues, joinableOf, makeLazy, type Joinable, type Lazy } from './lazy.js';
import { metaOf } from './markers.js';
import { submitOrInline } from './scheduler/index.js';
import { callGuarded } from './scheduler/exit-guard.js';
import { makeLoopJoins } from './loop-joins.js';
import { ledger, Settled as StartedState, type Started } from './scheduler/started.js';
export { logPush, logStore } from './loop-joins.js';

type AnyFunction = (...args: any[]) => any;

/** A call run inline (unsafe, or a saturated pool): settled at once, accounted like a queued task (started.ts). */
class Inline<T> implements Joinable<T>, Started {
  private _promise: Promise<T> | undefined;
  readonly seq = ledger.seq();
  observed = false;
  readonly settled: StartedState;
  readonly error: unknown;
  constructor(readonly fn: Function, ok: boolean, private readonly value: unknown) {
    this.settled = ok ? StartedState.DONE : StartedState.FAILED;
    this.error = ok ? undefined : value;
    ledger.add(this);
  }
  settle(): void {}
  join(): T {
    ledger.observe(this);
    if (this.settled !== StartedState.DONE) throw this.value;
    return this.value as T;
  }
  get promise(): Promise<T> {
    if (!this._promise) {
      ledger.observe(this);
      this._promise = this.settled === StartedState.DONE ? Promise.resolve(this.value as T) : Promise.reject(this.value);
      this._promise.catch(() => {});
    }
    return this._promise;
  }
}

/** Starts fn(...args) on a worker (cpu pool unless fn is marked ioBound; unsafe runs inline) and returns at once. */
export function fork<F extends AnyFunction>(fn: F, ...args: Parameters<F>): Lazy<Awaited<ReturnType<F>>> {
  if (typeof fn !== 'function') {
    throw new TypeError(`fork(fn, ...args): expected a function as the first argument, got ${fn === null ? 'null' : typeof fn}`);
  }
  argValues(args);
  const meta = metaOf(fn);
  const target = (meta?.target ?? fn) as F;
  const kind = metaOf(target)?.kind ?? meta?.kind ?? 'cpu';
  if (kind !== 'unsafe') {
    let task;
    try {
      task = submitOrInline<Awaited<ReturnType<F>>>(target, args, kind, fork);
    } catch (e) {
      throw atCallSite(e, fork);
    }
    if (task) return makeLazy(task);
  }
  // unsafe, or a saturated pool (lazy task creation): inline, but exceptions still surface at the join. An unsafe
  // call is the sequential program's own call; a busy pool's inline call must fail as it would on a worker.
  // Like a task on a worker, the call is done only when the forks it started are (started.ts).
  const outer = ledger.begin();
  let ok = true;
  let value: unknown;
  try {
    value = kind === 'unsafe' ? target(...args) : callGuarded(target, args);
  } catch (e) {
    ok = false;
    value = e;
  }
  ledger.end(outer, true);
  return makeLazy(new Inline(target, ok, value));
}

/** True when this thread must not block (a browser main thread). */
function cannotBlock(): boolean {
  const g = globalThis as { window?: unknown; document?: unknown };
  return typeof g.window === 'object' && g.window !== null && typeof g.document === 'object' && g.document !== null;
}

/** The value of x, synchronously: waits for a lazy result; anything else is returned unchanged. */
export function join<T>(x: T): Awaited<T> {
  const j = joinableOf(x);
  if (j === undefined) return x as Awaited<T>;
  if (cannotBlock()) {
    throw new JoinError('join() cannot block a browser main thread: use `await` on the fork result instead');
  }
  return j.join() as Awaited<T>;
}

/**
 * Compiled code, one expression's forks (`f(1) + f(2)`): the value of `x`. If `x` fails, the sequential program
 * would never have made the calls of `later` (evaluated after it), so their failures are dropped, not reported
 * as unjoined.
 */
export function joinFirst<T>(x: T, ...later: unknown[]): Awaited<T> {
  try {
    return join(x);
  } catch (e) {
    discard(later);
    throw e;
  }
}

/** joinFirst for async functions: `await awaitFirst(x, ...later)`. */
export async function awaitFirst<T>(x: T, ...later: unknown[]): Promise<Awaited<T>> {
  try {
    return await x;
  } catch (e) {
    discard(later);
    throw e;
  }
}

function discard(later: unknown[]): void {
  for (const l of later) joinableOf(l)?.promise; // looking at the promise marks the outcome as seen
}

/** Used by compiled code at the end of a loop that left forks running: see loop-joins.ts. */
export const { joinLoop, joinLoopAsync } = makeLoopJoins(join);
