// Payloads too big for a slot's data area travel as a SharedArrayBuffer over a BroadcastChannel (every thread has
// one). receiveMessageOnPort reads it synchronously, so a thread blocked in a join can still receive it.
import { BroadcastChannel, receiveMessageOnPort } from 'node:worker_threads';
import { H, S, type Shared } from './layout.js';

interface BigMessage { key: number; slot: number; sab: SharedArrayBuffer }

export class BigChannel {
  private readonly bc: BroadcastChannel;
  private readonly held = new Map<number, BigMessage>();
  constructor(private readonly sh: Shared) {
    this.bc = new BroadcastChannel('tsfork:big');
    this.bc.unref();
  }

  /** Publishes bytes for a slot; returns the key to store in the slot (BIGKEY). */
  send(slot: number, bytes: Uint8Array): number {
    const key = Atomics.add(this.sh.i32, H.SEQ, 1) + 1;
    const sab = new SharedArrayBuffer(bytes.byteLength);
    new Uint8Array(sab).set(bytes);
    const msg = { key, slot, sab };
    Atomics.store(this.sh.i32, this.sh.field(slot, S.BIGKEY), key);
    this.held.set(key, msg); // a BroadcastChannel does not deliver to itself: this thread may take its own task
    this.bc.postMessage(msg);
    return key;
  }

  receive(key: number): Uint8Array {
    for (;;) {
      const msg = this.held.get(key);
      if (msg) {
        this.held.delete(key);
        return new Uint8Array(msg.sab);
      }
      let m;
      while ((m = receiveMessageOnPort(this.bc as never)) !== undefined) {
        const got = m.message as BigMessage;
        this.held.set(got.key, got);
      }
      if (!this.held.has(key)) Atomics.wait(this.sh.i32, H.SLEEP, 0, 0.05); // in flight: let the sender finish
      if (this.held.size > 64) this.prune();
    }
  }

  /** Drops payloads whose slot has moved on (taken by another thread, or reused). */
  private prune(): void {
    for (const [key, msg] of this.held) {
      if (Atomics.load(this.sh.i32, this.sh.field(msg.slot, S.BIGKEY)) !== key) this.held.delete(key);
    }
  }
}
