// Shared memory layout of the pool: one SharedArrayBuffer seen by the main thread, the supervisor and every worker.
//   header | per-thread doorbells | per-thread states | per-thread completion bitmaps | free-slot stack | cpu ring |
//   io ring | why each pool is broken | slots | function registry

// Hot fields sit on their own 64-byte cache line: a worker spinning on one must not slow down writers of another.
export const enum H {
  LOCK = 0,          // spin lock over the rings and the free stack
  FREE_TOP = 1,      // entries on the free-slot stack (under the lock)
  CPU_HEAD = 2, CPU_TAIL = 3, // ring positions (monotonic, under the lock)
  IO_HEAD = 4, IO_TAIL = 5,
  SIGNAL_CPU = 16,   // bumped on every cpu push; idle cpu workers spin on it, then Atomics.wait
  SIGNAL_IO = 32,
  IDLE_CPU = 48,     // cpu workers asleep (push notifies only when > 0)
  IDLE_IO = 49,
  AVAILABLE_CPU = 50, // cpu workers looking for work (spinning or asleep): 0 means the pool is busy
  LIVE_CPU = 56,     // cpu tasks QUEUED right now (ring positions also count entries left stale by joiners)
  LIVE_IO = 57,
  FN_HEAD = 64,      // bytes used in the function registry
  FN_NEXT_ID = 65,
  UNJOINED_FAIL = 66, // a worker printed a failure nobody joined: the process exits non-zero
  SEQ = 67,          // big-payload keys
  SLEEP = 68,        // never changes: Atomics.wait on it is a short sleep
  RAN_WORKERS = 69,  // tasks run by pool workers, by the main thread (helping in a join), inline (saturated pool):
  RAN_MAIN = 70,     // counted for TSFORK_STATS=1
  RAN_INLINE = 71,
  WORKER_EXITS = 72, // pool workers that exited (and were replaced): TSFORK_STATS=1 reports it when not 0
  BROKEN = 73,       // bit (1 << kind): that pool cannot start its workers; every fork on it fails (brokenBase)
  SIZE = 80,
}

export const enum S { // Int32 fields of a slot
  STATE = 0, FN = 1, KIND = 2, SUBMITTER = 3, RUNNER = 4, ARGS_ENC = 5, ARGS_LEN = 6,
  RES_ENC = 7, RES_LEN = 8, FLAGS = 9, GEN = 10, BIGKEY = 11,
  INTS = 16,
}

export const enum State { FREE = 0, QUEUED = 1, RUNNING = 2, DONE = 3, FAILED = 4, CANCELLED = 5 }
export const enum Flag { JOIN_WAIT = 1, ASYNC = 2, CANCEL = 4 }
export const enum Enc { NONE = 0, INLINE = 1, V8 = 2, BIG = 3, ERROR_V8 = 4, ERROR_BIG = 5 }
export const enum Kind { CPU = 0, IO = 1 }
/** Bits of a thread's state word (threadState + tid). */
export const enum T { AVAILABLE = 1, READY = 2 }
/** Bytes per pool for the error that broke it (brokenBase + kind * BROKEN_BYTES: length, then v8-serialized). */
export const BROKEN_BYTES = 4096;

export interface Layout {
  slots: number;
  threads: number;      // main (0) + cpu workers + io workers
  slotBytes: number;    // data area per slot (arguments, then the result)
  doorbell: number;     // Int32 index of thread 0's doorbell
  threadState: number;  // Int32 index of thread 0's state word (T bits)
  bitmap: number;       // Int32 index of thread 0's completion bitmap
  bitmapWords: number;
  freeStack: number;    // Int32 index
  cpuRing: number;      // Int32 index
  ioRing: number;
  brokenBase: number;   // Int32 index: per pool, the error that broke it
  slotBase: number;     // byte offset of slot 0
  slotStride: number;   // bytes per slot (ints + data)
  fnBase: number;       // byte offset of the function registry
  fnBytes: number;
  totalBytes: number;
}

export function makeLayout(slots: number, threads: number, slotBytes = 1024, fnBytes = 4 << 20): Layout {
  const bitmapWords = Math.ceil(slots / 32);
  let i = H.SIZE;
  const doorbell = i; i += threads;
  const threadState = i; i += threads;
  const bitmap = i; i += threads * bitmapWords;
  const freeStack = i; i += slots;
  const cpuRing = i; i += slots;
  const ioRing = i; i += slots;
  const brokenBase = i; i += (2 * BROKEN_BYTES) / 4;
  const slotBase = Math.ceil((i * 4) / 64) * 64;
  const slotStride = S.INTS * 4 + slotBytes;
  const fnBase = slotBase + slots * slotStride;
  return {
    slots, threads, slotBytes, doorbell, threadState, bitmap, bitmapWords, freeStack, cpuRing, ioRing, brokenBase,
    slotBase, slotStride, fnBase, fnBytes, totalBytes: fnBase + fnBytes,
  };
}

/** Views over the shared buffer, made once per thread. */
export class Shared {
  readonly i32: Int32Array;
  readonly u8: Uint8Array;
  readonly dv: DataView;
  constructor(readonly sab: SharedArrayBuffer, readonly layout: Layout) {
    this.i32 = new Int32Array(sab);
    this.u8 = new Uint8Array(sab);
    this.dv = new DataView(sab);
  }
  /** Int32 index of a slot's field. */
  field(slot: number, f: S): number {
    return ((this.layout.slotBase + slot * this.layout.slotStride) >> 2) + f;
  }
  /** Byte offset of a slot's data area. */
  data(slot: number): number {
    return this.layout.slotBase + slot * this.layout.slotStride + S.INTS * 4;
  }
}
