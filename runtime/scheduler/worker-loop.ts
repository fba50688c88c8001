// A pool worker's loop: takes the oldest queued task and runs it. CPU workers block in Atomics.wait when idle
// (after a short spin); while async tasks of theirs are pending, and always in the I/O pool, they wait with
// Atomics.waitAsync instead so those tasks progress on the worker's own event loop.
import { setImmediate as immediate } from 'node:timers/promises';
import { H, Kind, T, type Shared } from './layout.js';
import { take, queueLength } from './queue.js';
import type { Pool } from './pool.js';
import { waitAsync } from './wait-async.js';

export async function workLoop(pool: Pool, sh: Shared, kind: Kind, spinMicros: number): Promise<never> {
  const { i32 } = sh;
  const signal = kind === Kind.CPU ? H.SIGNAL_CPU : H.SIGNAL_IO;
  const idle = kind === Kind.CPU ? H.IDLE_CPU : H.IDLE_IO;
  const spinNs = kind === Kind.CPU ? BigInt(spinMicros) * 1000n : 0n;
  // Whether this worker counts in AVAILABLE_CPU lives in shared memory (its state word): the supervisor counted it
  // when it started the worker, and takes it back if the worker dies before it took a task.
  const state = sh.layout.threadState + pool.tid;
  let counted = true;
  const available = (yes: boolean) => {
    if (counted === yes) return;
    counted = yes;
    const was = yes ? Atomics.or(i32, state, T.AVAILABLE) : Atomics.and(i32, state, ~T.AVAILABLE);
    if (kind === Kind.CPU && ((was & T.AVAILABLE) !== 0) !== yes) Atomics.add(i32, H.AVAILABLE_CPU, yes ? 1 : -1);
  };
  Atomics.or(i32, state, T.READY); // started: dying from now on is not a start-up failure
  for (;;) {
    if (pool.retiring) {
      // Takes no more tasks; the pool exits this thread when its last call ends (Pool.cancelRun).
      available(false);
      return new Promise<never>(() => {});
    }
    const slot = take(sh, kind, pool.tid, false);
    if (slot >= 0) {
      available(false);
      pool.run(slot, false);
      if (kind === Kind.IO || pool.pendingAsync > 0) await immediate();
      continue;
    }
    available(true);
    if (spinNs > 0n) {
      // Spin on the push counter (its own cache line) rather than the ring positions writers keep changing.
      const before = Atomics.load(i32, signal);
      const until = process.hrtime.bigint() + spinNs;
      while (Atomics.load(i32, signal) === before && process.hrtime.bigint() < until);
      if (queueLength(sh, kind) > 0) continue;
    }
    const seen = Atomics.load(i32, signal);
    Atomics.add(i32, idle, 1);
    if (queueLength(sh, kind) === 0) {
      if (kind === Kind.IO || pool.pendingAsync > 0) {
        const r = waitAsync(i32, signal, seen);
        if (r.async) await r.value;
      } else {
        Atomics.wait(i32, signal, seen);
      }
    }
    Atomics.sub(i32, idle, 1);
  }
}
