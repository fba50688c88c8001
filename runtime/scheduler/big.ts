// Payloads that do not fit a slot's data area (or that hold shared memory, host objects or moved items, see
// codec.ts) travel by message through the supervisor, whose event loop is never blocked (a thread blocked in a
// join still reads its own port with receiveMessageOnPort). Each payload goes to exactly one thread and nothing
// keeps it afterwards, so an idle runtime holds none of them:
//  - a task's arguments are stored at the supervisor until the thread that takes the task asks for them ('get'),
//    or the thread that claimed it without running it drops them; the submitter keeps its own byte payloads
//    too, so running its own task (a join does) costs no round trip;
//  - a result or error goes straight to the submitter, the only thread that reads it.
import { receiveMessageOnPort, type MessagePort, type TransferListItem } from 'node:worker_threads';
import { H, type Shared } from './layout.js';
import type { Posted } from './codec.js';
import { moved } from '../move.js';

/**
 * A payload: serialized bytes, or a value posted as it is. Bytes are an ArrayBuffer moved from hop to hop, not a
 * SharedArrayBuffer: a thread that only relays one never frees a SharedArrayBuffer's memory until its own GC
 * runs, which an idle supervisor's hardly ever does (400 round trips of 1 MB kept 800 MB).
 */
export interface Payload { bytes?: Uint8Array; post?: Posted }

type Msg =
  | { op: 'put'; key: number; slot: number; bytes?: Uint8Array; post?: Posted }
  | { op: 'to'; tid: number; key: number; slot: number; bytes?: Uint8Array; post?: Posted }
  | { op: 'get'; key: number; tid: number }
  | { op: 'drop'; key: number };
type Delivery = { key: number; bytes?: Uint8Array; post?: Posted };

const transferOf = (p: { post?: Posted }) => p.post?.transfer ?? [];
/** What moves with a payload on a hop that gives it away. */
const given = (p: { bytes?: Uint8Array; post?: Posted }): TransferListItem[] => (p.bytes ? [p.bytes.buffer as ArrayBuffer] : transferOf(p));

/** One thread's end: sends payloads and receives the ones meant for it. */
export class BigChannel {
  private readonly held = new Map<number, Delivery>(); // arrived before this thread looked for them
  private readonly own = new Map<number, { key: number; bytes: Uint8Array }>(); // by slot: own arguments
  constructor(private readonly sh: Shared, private readonly port: MessagePort, private readonly tid: number) {
    port.unref();
  }

  private nextKey(): number { return Atomics.add(this.sh.i32, H.SEQ, 1) + 1; }

  /** A task's arguments (any thread may take the task); returns the key to store in the slot. */
  sendArgs(slot: number, payload: Payload): number {
    const key = this.nextKey();
    // Byte payloads are copied to the supervisor and kept here too, so running its own task needs no round trip.
    this.post({ op: 'put', key, slot, ...payload }, transferOf(payload));
    if (payload.bytes) this.own.set(slot, { key, bytes: payload.bytes });
    return key;
  }

  /** A result or error, for the submitter `to`; returns the key. */
  sendResult(slot: number, to: number, payload: Payload): number {
    const key = this.nextKey();
    // A result for this thread itself (a task it failed or ran for itself) needs no hop, nor a live supervisor.
    if (to === this.tid) this.held.set(key, { key, ...payload });
    else this.post({ op: 'to', tid: to, key, slot, ...payload }, given(payload));
    return key;
  }

  private post(m: Msg & { post?: Posted }, transfer: TransferListItem[]): void {
    this.port.postMessage(m, transfer);
    if (m.post?.transfer.length) moved(m.post.transfer);
  }

  /** The arguments of a task this thread took. */
  takeArgs(slot: number, key: number): Payload {
    const mine = this.own.get(slot);
    if (mine?.key === key) {
      this.own.delete(slot);
      this.port.postMessage({ op: 'drop', key } satisfies Msg);
      return { bytes: mine.bytes };
    }
    this.port.postMessage({ op: 'get', key, tid: this.tid } satisfies Msg);
    return this.wait(key);
  }

  /** Arguments nobody will read (the task was cancelled or failed before it ran). */
  dropArgs(slot: number, key: number): void {
    if (this.own.get(slot)?.key === key) this.own.delete(slot);
    this.port.postMessage({ op: 'drop', key } satisfies Msg);
  }

  /** This thread's own arguments for a slot it consumed (whoever ran the task has them by now, or never will). */
  forget(slot: number): void {
    this.own.delete(slot);
  }

  /** The result or error of one of this thread's tasks. */
  takeResult(key: number): Payload {
    return this.wait(key);
  }

  private wait(key: number): Payload {
    for (;;) {
      const d = this.held.get(key);
      if (d) {
        this.held.delete(key);
        return d;
      }
      let m;
      while ((m = receiveMessageOnPort(this.port)) !== undefined) {
        const got = m.message as Delivery;
        this.held.set(got.key, got);
      }
      if (!this.held.has(key)) Atomics.wait(this.sh.i32, H.SLEEP, 0, 0.05); // in flight: let it arrive
    }
  }
}

/** The supervisor's side: stores arguments until asked for, forwards results. */
export class BigRelay {
  private readonly ports = new Map<number, MessagePort>();
  private readonly stored = new Map<number, Msg & { op: 'put' }>();
  private readonly bySlot = new Map<number, number>(); // slot -> key of its stored arguments
  private readonly asked = new Map<number, number>();  // key -> tid, asked for before it arrived
  private readonly dropped = new Set<number>();        // dropped before it arrived

  /** Messages from a thread's port; `tid` is where payloads for that thread go (-1: it never receives). */
  attach(tid: number, port: MessagePort): void {
    if (tid >= 0) this.ports.set(tid, port);
    port.on('message', (m: Msg) => {
      try {
        this.handle(m);
      } catch (e) { // nothing a message holds may stop the relay
        process.stderr.write(`tsfork: the big-payload relay dropped a message: ${(e as Error)?.stack ?? e}\n`);
      }
    });
  }

  detach(tid: number, port: MessagePort): void {
    if (this.ports.get(tid) === port) this.ports.delete(tid);
    port.close();
  }

  /** The arguments of a task whose runner died: nobody reads them now. */
  dropSlot(slot: number): void {
    const key = this.bySlot.get(slot);
    if (key !== undefined) this.discard(key);
  }

  /** Payloads held right now (for tests: an idle runtime holds none). */
  get size(): number { return this.stored.size; }

  private handle(m: Msg): void {
    switch (m.op) {
      case 'put': {
        if (this.dropped.delete(m.key)) return;
        const want = this.asked.get(m.key);
        if (want !== undefined) { this.asked.delete(m.key); this.deliver(want, m); return; }
        // A slot holds one task at a time: arguments still stored for it were never taken (a safety net).
        const old = this.bySlot.get(m.slot);
        if (old !== undefined) this.discard(old);
        this.stored.set(m.key, m);
        this.bySlot.set(m.slot, m.key);
        return;
      }
      case 'get': {
        const s = this.stored.get(m.key);
        if (s) { this.remove(m.key); this.deliver(m.tid, s); } else this.asked.set(m.key, m.tid);
        return;
      }
      case 'drop':
        if (this.stored.has(m.key)) this.discard(m.key); else this.dropped.add(m.key);
        return;
      case 'to':
        this.deliver(m.tid, m);
        return;
    }
  }

  private remove(key: number): void {
    const s = this.stored.get(key);
    if (!s) return;
    this.stored.delete(key);
    if (this.bySlot.get(s.slot) === key) this.bySlot.delete(s.slot);
  }

  /** Arguments nobody will take: a port moved with them is closed (its other end sees 'close'). */
  private discard(key: number): void {
    const s = this.stored.get(key);
    this.remove(key);
    for (const t of s ? transferOf(s) : []) if (typeof (t as MessagePort).close === 'function') (t as MessagePort).close();
  }

  private deliver(tid: number, m: { key: number; bytes?: Uint8Array; post?: Posted }): void {
    const port = this.ports.get(tid);
    if (!port) return; // that thread is gone
    const d: Delivery = { key: m.key };
    if (m.bytes) d.bytes = m.bytes;
    if (m.post) d.post = m.post;
    port.postMessage(d, given(m));
  }
}
