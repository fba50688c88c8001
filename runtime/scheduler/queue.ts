// The two task rings (cpu, io) and the free-slot stack, under one spin lock in shared memory.
// A ring entry is a hint: a slot is taken only by a successful QUEUED -> RUNNING exchange, so entries left behind
// by a joiner that took its own task directly are skipped (and squeezed out when the ring fills up).
import { H, Kind, S, State, type Shared } from './layout.js';

export function lock(sh: Shared): void {
  const i32 = sh.i32;
  for (let spins = 0; Atomics.compareExchange(i32, H.LOCK, 0, 1) !== 0; spins++) {
    // The holder may have been descheduled (more threads than cores): stop burning its core.
    if (spins > 200) Atomics.wait(i32, H.LOCK, 1, 0.2);
  }
}

export function unlock(sh: Shared): void {
  Atomics.store(sh.i32, H.LOCK, 0);
}

export function allocSlot(sh: Shared): number {
  lock(sh);
  const top = sh.i32[H.FREE_TOP]!;
  let slot = -1;
  if (top > 0) {
    slot = sh.i32[sh.layout.freeStack + top - 1]!;
    sh.i32[H.FREE_TOP] = top - 1;
  }
  unlock(sh);
  return slot;
}

export function freeSlot(sh: Shared, slot: number): void {
  Atomics.store(sh.i32, sh.field(slot, S.STATE), State.FREE);
  lock(sh);
  const top = sh.i32[H.FREE_TOP]!;
  sh.i32[sh.layout.freeStack + top] = slot;
  sh.i32[H.FREE_TOP] = top + 1;
  unlock(sh);
}

function ringOf(sh: Shared, kind: Kind): { ring: number; head: H; tail: H; signal: H; idle: H } {
  return kind === Kind.CPU
    ? { ring: sh.layout.cpuRing, head: H.CPU_HEAD, tail: H.CPU_TAIL, signal: H.SIGNAL_CPU, idle: H.IDLE_CPU }
    : { ring: sh.layout.ioRing, head: H.IO_HEAD, tail: H.IO_TAIL, signal: H.SIGNAL_IO, idle: H.IDLE_IO };
}

/** Call after any successful QUEUED -> other state exchange on a task of this kind. */
export function claimed(sh: Shared, kind: Kind): void {
  Atomics.sub(sh.i32, kind === Kind.CPU ? H.LIVE_CPU : H.LIVE_IO, 1);
}

/** Tasks really waiting in the queue (not counting stale ring entries). */
export function liveTasks(sh: Shared, kind: Kind): number {
  return Atomics.load(sh.i32, kind === Kind.CPU ? H.LIVE_CPU : H.LIVE_IO);
}

/** Queued entries (including stale ones): a cheap saturation estimate, read without the lock. */
export function queueLength(sh: Shared, kind: Kind): number {
  return kind === Kind.CPU
    ? Atomics.load(sh.i32, H.CPU_TAIL) - Atomics.load(sh.i32, H.CPU_HEAD)
    : Atomics.load(sh.i32, H.IO_TAIL) - Atomics.load(sh.i32, H.IO_HEAD);
}

export function push(sh: Shared, kind: Kind, slot: number): void {
  const r = ringOf(sh, kind);
  const i32 = sh.i32;
  const cap = sh.layout.slots;
  lock(sh);
  let head = i32[r.head]!;
  let tail = i32[r.tail]!;
  if (tail - head >= cap) {
    // Full of stale entries: keep only the still-queued ones, oldest first.
    const live: number[] = [];
    for (let p = head; p < tail; p++) {
      const s = i32[r.ring + (p % cap)]!;
      if (Atomics.load(i32, sh.field(s, S.STATE)) === State.QUEUED && !live.includes(s)) live.push(s);
    }
    head = 0; tail = live.length;
    for (let k = 0; k < live.length; k++) i32[r.ring + k] = live[k]!;
    i32[r.head] = head;
  }
  i32[r.ring + (tail % cap)] = slot;
  i32[r.tail] = tail + 1;
  unlock(sh);
  Atomics.add(i32, kind === Kind.CPU ? H.LIVE_CPU : H.LIVE_IO, 1);
  Atomics.add(i32, r.signal, 1);
  if (Atomics.load(i32, r.idle) > 0) Atomics.notify(i32, r.signal, 1);
}

/**
 * Takes a queued task (QUEUED -> RUNNING, runner = tid): the oldest (workers) or the newest (a helping joiner).
 * Returns the slot or -1.
 */
export function take(sh: Shared, kind: Kind, tid: number, newest: boolean): number {
  const r = ringOf(sh, kind);
  const i32 = sh.i32;
  const cap = sh.layout.slots;
  if (Atomics.load(i32, r.tail) === Atomics.load(i32, r.head)) return -1;
  lock(sh);
  let head = i32[r.head]!;
  let tail = i32[r.tail]!;
  let found = -1;
  while (head < tail) {
    const s = newest ? i32[r.ring + ((tail - 1) % cap)]! : i32[r.ring + (head % cap)]!;
    if (newest) tail--; else head++;
    if (Atomics.compareExchange(i32, sh.field(s, S.STATE), State.QUEUED, State.RUNNING) === State.QUEUED) {
      Atomics.store(i32, sh.field(s, S.RUNNER), tid);
      claimed(sh, kind);
      found = s;
      break;
    }
  }
  i32[r.head] = head;
  i32[r.tail] = tail;
  unlock(sh);
  return found;
}

/** Puts back a task this thread took but cannot run (its function cannot be loaded synchronously here). */
export function release(sh: Shared, kind: Kind, slot: number): void {
  Atomics.store(sh.i32, sh.field(slot, S.STATE), State.QUEUED);
  push(sh, kind, slot);
}

export { ringOf };
