// move(x): x crosses to or from a worker by transfer instead of by copy, like an entry of postMessage's transfer
// list (the sender's ArrayBuffer is detached, a MessagePort changes hands). Identity in the sequential build.
import { types } from 'node:util';
import { MessagePort, type TransferListItem } from 'node:worker_threads';

const marked = new WeakSet<object>();
let live = 0; // marked and not yet moved or collected: values are searched for marks only while there are some
const collected = new FinalizationRegistry<undefined>(() => { live--; });

/**
 * Marks an ArrayBuffer, a typed array or DataView (its buffer), or a MessagePort to be transferred, not copied,
 * the next time it is sent to or from a worker (a fork's argument, a task's result); returns x itself. A
 * SharedArrayBuffer (or a view on one) is always shared, so moving it changes nothing.
 */
export function move<T>(x: T): T {
  const target = transferable(x);
  if (target === undefined) {
    throw new TypeError(`move(x): expected an ArrayBuffer, a typed array or DataView, or a MessagePort; got ${describe(x)}`);
  }
  if (target !== null && !marked.has(target)) {
    marked.add(target);
    live++;
    collected.register(target, undefined, target);
  }
  return x;
}

/** What moving x transfers: its ArrayBuffer or port, null for shared memory, undefined if x cannot be moved. */
function transferable(x: unknown): object | null | undefined {
  if (types.isArrayBuffer(x)) return x as ArrayBuffer;
  if (types.isSharedArrayBuffer(x)) return null;
  if (ArrayBuffer.isView(x)) return types.isSharedArrayBuffer(x.buffer) ? null : x.buffer;
  if (x instanceof MessagePort) return x;
  return undefined;
}

function describe(x: unknown): string {
  if (x === null) return 'null';
  if (typeof x === 'object') return x.constructor?.name ?? 'an object';
  return typeof x;
}

/** The marked items inside v (the transfer list for sending it). */
export function movedIn(v: unknown): TransferListItem[] {
  if (live === 0) return NONE;
  const found: TransferListItem[] = [];
  walk(v, new Set(), found);
  return found;
}
const NONE: TransferListItem[] = [];

function walk(v: unknown, visited: Set<object>, found: TransferListItem[]): void {
  if (v === null || typeof v !== 'object' || visited.has(v)) return;
  visited.add(v);
  if (types.isArrayBuffer(v) || v instanceof MessagePort) {
    if (marked.has(v)) found.push(v as TransferListItem);
  } else if (ArrayBuffer.isView(v)) {
    walk(v.buffer, visited, found);
  } else if (types.isMap(v)) {
    for (const [k, x] of v as Map<unknown, unknown>) { walk(k, visited, found); walk(x, visited, found); }
  } else if (types.isSet(v)) {
    for (const x of v as Set<unknown>) walk(x, visited, found);
  } else {
    if (v instanceof Error && 'cause' in v) walk(v.cause, visited, found);
    for (const x of Object.values(v)) walk(x, visited, found);
  }
}

/** After a post: the transferred items are detached (or gone to another thread), no longer marked. */
export function moved(transfer: TransferListItem[]): void {
  for (const t of transfer) {
    if (marked.delete(t as object)) { live--; collected.unregister(t as object); }
  }
}
