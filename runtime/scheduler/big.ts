// Payloads too big for a slot's data area travel as a SharedArrayBuffer, posted on this thread's port to the
// supervisor, which relays it to every other thread's port (BroadcastChannel does not deliver from workers to the
// main thread for receiveMessageOnPort on Node 20). receiveMessageOnPort reads it synchronously, so a thread
// blocked in a join can still receive it; the supervisor's event loop is never blocked, so the relay always runs.
import { receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { H, S, type Shared } from './layout.js';

export interface BigMessage { key: number; slot: number; sab: SharedArrayBuffer }

export class BigChannel {
  private readonly held = new Map<number, BigMessage>();
  constructor(private readonly sh: Shared, private readonly port: MessagePort) {
    port.unref();
  }

  /** Publishes bytes for a slot; returns the key to store in the slot (BIGKEY). */
  send(slot: number, bytes: Uint8Array): number {
    const key = Atomics.add(this.sh.i32, H.SEQ, 1) + 1;
    const sab = new SharedArrayBuffer(bytes.byteLength);
    new Uint8Array(sab).set(bytes);
    const msg = { key, slot, sab };
    Atomics.store(this.sh.i32, this.sh.field(slot, S.BIGKEY), key);
    this.held.set(key, msg); // the relay does not send it back here: this thread may take its own task
    this.port.postMessage(msg);
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
      while ((m = receiveMessageOnPort(this.port)) !== undefined) {
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
