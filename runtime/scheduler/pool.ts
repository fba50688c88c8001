// One thread's view of the shared-memory pool: submitting tasks, running them (workers and helping joiners),
// joining them (blocking, helping), and watching them asynchronously (doorbell + completion bitmap).
import v8 from 'node:v8';
import type { MessagePort } from 'node:worker_threads';
import { writeSync } from 'node:fs';
import { TaskRun, callGuarded, callInContext, current, exitThread } from './exit-guard.js';
import { exportedClasses, restoreInstances, tagInstances } from './classes.js';
import { BROKEN_BYTES, Enc, Flag, H, Kind, S, State, type Shared } from './layout.js';
import { cloneProblem, encode, decode, pack, unpackBytes, type Packed } from './codec.js';
import { allocSlot, claimed, freeSlot, liveTasks, push, take, release } from './queue.js';
import { Registry } from './registry.js';
import { BigChannel, type Payload } from './big.js';
import { ForkError, TaskCancelledError, reviveError, serializeError, withoutRuntimeFrames, type SerializedError } from '../errors.js';
import { describeFunction, loadedModule, loadFunctionAsync } from '../function-ref.js';
import type { SubmitOptions, Task, TaskState } from './task.js';
import { waitAsync } from './wait-async.js';
import { ledger, Settled, type Started } from './started.js';

const AsyncFunction = (async () => {}).constructor;
const isAsyncFunction = (fn: Function) => fn instanceof AsyncFunction;

/** How long a cancelled async task's leftover work may go on before its worker retires (Pool.cancelRun). */
const RETIRE_AFTER_CANCEL_MS = 1000;

export class SlotTask<T = unknown> implements Task<T>, Started {
  settled = Settled.PENDING;
  value: unknown;
  error: unknown;
  observed = false;
  readonly seq = ledger.seq();
  private joinSiteAdded = false;
  private _promise: Promise<T> | undefined;
  resolve: ((v: T) => void) | undefined;
  reject: ((e: unknown) => void) | undefined;
  private waiters: (() => void)[] | undefined;
  cancelReason: unknown;
  unlisten: (() => void) | undefined; // removes the AbortSignal listener once settled
  /** While every slot is taken: the serialized arguments, waiting in the pool's backlog (slot is -1). */
  backlogged: { fnId: number; packed: Packed } | undefined;
  wantsWatch = false;
  constructor(readonly pool: Pool, public slot: number, readonly kind: Kind, readonly fn: Function,
    readonly callSite: { stack?: string } | undefined) {}

  settle(): void {
    if (this.settled === Settled.PENDING) this.pool.joinTask(this as SlotTask);
  }

  /** Resolves (never rejects) once settled, without blocking and without counting as looking at the outcome. */
  whenSettled(): Promise<void> {
    if (this.settled !== Settled.PENDING) return Promise.resolve();
    return new Promise<void>((res) => {
      (this.waiters ??= []).push(res);
      this.pool.watch(this as SlotTask);
    });
  }

  get state(): TaskState {
    switch (this.settled) {
      case Settled.DONE: return 'done';
      case Settled.FAILED: return 'failed';
      case Settled.CANCELLED: return 'cancelled';
    }
    if (this.slot < 0) return 'queued';
    const s = Atomics.load(this.pool.sh.i32, this.pool.sh.field(this.slot, S.STATE));
    return s === State.QUEUED ? 'queued' : 'running';
  }

  join(): T {
    if (this.settled === Settled.PENDING) this.pool.joinTask(this as SlotTask);
    ledger.observe(this);
    if (this.settled !== Settled.DONE) {
      // No fork call site was kept (a function's forks after its first 1000): the join site is the next best.
      if (!this.callSite && !this.joinSiteAdded && this.error instanceof Error && typeof this.error.stack === 'string') {
        this.joinSiteAdded = true;
        const here: { stack?: string } = {};
        Error.captureStackTrace(here, SlotTask.prototype.join);
        const site = callSiteOf(here);
        if (site) this.error.stack += `\n    --- joined at ---\n${withoutRuntimeFrames(site)}`;
      }
      throw this.error;
    }
    return this.value as T;
  }

  get promise(): Promise<T> {
    if (!this._promise) {
      this._promise = new Promise<T>((res, rej) => { this.resolve = res; this.reject = rej; });
      this._promise.catch(() => {}); // rejection is reported at join/await, or at exit if nobody looks
      ledger.observe(this);
      if (this.settled !== Settled.PENDING) this.settlePromise();
      else this.pool.watch(this as SlotTask);
    }
    return this._promise;
  }

  settlePromise(): void {
    if (this.waiters) { for (const w of this.waiters) w(); this.waiters = undefined; }
    if (!this.resolve) return;
    if (this.settled === Settled.DONE) this.resolve(this.value as T); else this.reject!(this.error);
  }

  cancel(reason?: unknown): void {
    if (this.settled !== Settled.PENDING) return;
    this.cancelReason ??= reason;
    this.pool.cancelTask(this as SlotTask, reason);
  }
}

export interface PoolHooks {
  /** Ask whoever owns the workers to stop a cancelled task that is running on worker `runner`. */
  cancelRunning(slot: number, gen: number, runner: number, why: string, async: boolean): void;
  /** Make sure the I/O pool is running. */
  wantIo(): void;
}

export class Pool {
  readonly registry: Registry;
  private readonly classesByFn = new Map<number, { module: string; protos: Map<object, string> } | null>();
  readonly big: BigChannel;
  readonly outstanding = new Set<SlotTask>();
  private readonly watching = new Map<number, SlotTask>();
  private listening = false;
  private keepAlive: ReturnType<typeof setInterval> | undefined;
  private readonly ownFns = new Map<number, Function>(); // slot -> function object of a task submitted here
  private asyncCount = 0;
  /** Told when the number of async tasks running here changes (a pool worker keeps its event loop alive by it). */
  onPendingAsync: ((n: number) => void) | undefined;
  /** Async tasks started here and not yet settled. */
  get pendingAsync(): number { return this.asyncCount; }
  set pendingAsync(n: number) { this.asyncCount = n; this.onPendingAsync?.(n); }
  /** Whether this thread runs tasks while it joins, or inline: not the main thread when workerHeapMb is set. */
  helps = true;
  private readonly asyncRuns = new Map<number, TaskRun>(); // a pool worker's async tasks in flight, by slot
  private brokenData: (SerializedError | undefined)[] = [];
  private readonly spinNs: bigint;
  private readonly cursor = { pos: 0 };

  constructor(readonly sh: Shared, readonly tid: number, readonly cpuWorkers: number, spinMicros: number,
    readonly hooks: PoolHooks, bigPort: MessagePort) {
    this.registry = new Registry(sh);
    this.big = new BigChannel(sh, bigPort, tid);
    this.spinNs = BigInt(spinMicros) * 1000n;
  }

  // ---------------------------------------------------------------- submitting
  /**
   * Lazy task creation: the cpu pool is saturated when every worker is busy and work is already waiting (or a
   * lot of it is), so another task would only wait in the queue; fork then runs the call inline instead.
   */
  saturated(fn: Function): boolean {
    const q = liveTasks(this.sh, Kind.CPU);
    return q > 0 && (q >= 4 * this.cpuWorkers || Atomics.load(this.sh.i32, H.AVAILABLE_CPU) === 0) && !isAsyncFunction(fn) && this.helps;
  }

  // By registry id, not function object: fresh closures of one function (one per loop iteration) count together.
  private readonly forkCounts = new Map<number, number>();

  /**
   * Whether to keep this fork's call site for error stacks. Capturing costs ~2 us, a tenth of a fine-grained
   * task, so after a function's first 1000 forks it is kept only once that function has failed.
   */
  wantsCallSite(fn: Function): boolean {
    const id = this.registry.idOf(fn);
    const n = this.forkCounts.get(id) ?? 0;
    if (n < 0) return true;
    if (n >= 1000) return false;
    this.forkCounts.set(id, n + 1);
    return true;
  }

  submit<T>(fn: Function, args: unknown[], opts: SubmitOptions & { inlineWhenSaturated?: boolean; callSite?: { stack?: string } }): Task<T> | undefined {
    const kind = opts.kind === 'io' ? Kind.IO : Kind.CPU;
    const fnId = this.registry.idOf(fn);
    if (kind === Kind.IO) this.hooks.wantIo();
    const signal = opts.signal;
    let slot = this.backlog.length > 0 ? -1 : this.newSlot();
    if (slot < 0 && this.backlog.length === 0) {
      this.harvest();
      slot = this.newSlot();
    }
    if (slot < 0 && opts.inlineWhenSaturated && kind === Kind.CPU && !isAsyncFunction(fn) && this.helps) return undefined;
    let task: SlotTask<T>;
    if (slot < 0) {
      // Every slot is taken: the task waits in this thread's backlog, its arguments serialized now (so a bad one
      // still throws here), and takes a slot when one of this thread's tasks frees its own. Nothing spins and
      // the caller goes on: an awaiting program's event loop keeps turning.
      let packed: Packed;
      try { packed = pack(args); } catch (e) { throw cloneError(fn, args, e); }
      task = new SlotTask<T>(this, -1, kind, fn, opts.callSite);
      task.backlogged = { fnId, packed };
      this.outstanding.add(task as SlotTask);
      ledger.add(task);
      if (signal?.aborted) { task.cancel(signal.reason); return task; }
      this.backlog.push(task as SlotTask);
      if (this.backlog.length === 1) this.startBacklog();
    } else {
      this.fillSlot(slot, fnId, kind);
      try {
        this.writeArgs(slot, fn, args);
      } catch (e) {
        this.freeOwnSlot(slot);
        throw e;
      }
      task = new SlotTask<T>(this, slot, kind, fn, opts.callSite);
      this.outstanding.add(task as SlotTask);
      this.ownFns.set(slot, fn);
      ledger.add(task);
      if (signal?.aborted) {
        // Never queued: settled as cancelled here, so no worker can have started it.
        task.cancelReason = signal.reason;
        const { i32 } = this.sh;
        const f = this.sh.field(slot, 0);
        Atomics.store(i32, f + S.STATE, State.RUNNING);
        i32[f + S.RUNNER] = this.tid;
        this.finishError(slot, cancelledError(task as SlotTask, signal.reason), 0, State.CANCELLED);
        this.consume(task as SlotTask);
        return task;
      }
      this.enqueue(slot, kind);
    }
    if (signal) {
      const onAbort = () => task.cancel(signal.reason);
      signal.addEventListener('abort', onAbort, { once: true });
      task.unlisten = () => signal.removeEventListener('abort', onAbort);
    }
    return task;
  }

  private fillSlot(slot: number, fnId: number, kind: Kind): void {
    const { i32 } = this.sh;
    const f = this.sh.field(slot, 0);
    i32[f + S.FN] = fnId;
    i32[f + S.KIND] = kind;
    i32[f + S.SUBMITTER] = this.tid;
    i32[f + S.RUNNER] = -1;
    // While a backlog waits, every completion rings this thread's doorbell: that is when a slot frees.
    i32[f + S.FLAGS] = this.backlog.length > 0 ? Flag.ASYNC : 0;
    i32[f + S.GEN] = i32[f + S.GEN]! + 1;
  }

  private enqueue(slot: number, kind: Kind): void {
    Atomics.store(this.sh.i32, this.sh.field(slot, S.STATE), State.QUEUED);
    push(this.sh, kind, slot);
    // After the push: whoever breaks the pool sets the flag, then fails what is queued (one of us sees the other).
    if (Atomics.load(this.sh.i32, H.BROKEN) & (1 << kind)) this.failIfQueued(slot, kind, this.brokenError(kind));
  }

  // ---------------------------------------------------------------- backlog (every slot taken)
  private readonly backlog: SlotTask[] = [];

  /** The backlog's first task: from now on completions ring the doorbell, and the listener frees slots. */
  private startBacklog(): void {
    const { i32 } = this.sh;
    for (const t of this.outstanding) if (t.slot >= 0) Atomics.or(i32, this.sh.field(t.slot, S.FLAGS), Flag.ASYNC);
    if (!this.listening) void this.listen();
  }

  /** Gives free slots to backlogged tasks, oldest first (or `first` before them). */
  private flushBacklog(first?: SlotTask): void {
    while (this.backlog.length > 0) {
      const slot = this.newSlot();
      if (slot < 0) return;
      const k = first && first.slot < 0 ? this.backlog.indexOf(first) : 0;
      this.place(this.backlog.splice(k, 1)[0]!, slot);
    }
  }

  private place(task: SlotTask, slot: number): void {
    const { fnId, packed } = task.backlogged!;
    task.backlogged = undefined;
    task.slot = slot;
    this.ownFns.set(slot, task.fn);
    this.fillSlot(slot, fnId, task.kind);
    Atomics.or(this.sh.i32, this.sh.field(slot, S.FLAGS), Flag.ASYNC);
    this.writePacked(slot, packed, S.ARGS_ENC, S.ARGS_LEN, Enc.V8, Enc.BIG, -1);
    if (task.wantsWatch) this.watching.set(slot, task);
    this.enqueue(slot, task.kind);
  }

  /** Blocks until `task` has a slot: sleeps on this thread's doorbell (a completion of its own) between tries. */
  private waitForSlot(task: SlotTask): void {
    const { i32, layout } = this.sh;
    const bell = layout.doorbell + this.tid;
    while (task.slot < 0 && task.settled === Settled.PENDING) {
      const seen = Atomics.load(i32, bell);
      this.harvest();
      this.flushBacklog(task);
      if (task.slot >= 0 || task.settled !== Settled.PENDING) return;
      if (this.helpOnce(false)) continue;
      // Another thread freeing a slot rings no bell here: the timeout bounds that wait.
      Atomics.wait(i32, bell, seen, 5);
    }
  }

  private writeArgs(slot: number, fn: Function, args: unknown[]): void {
    if (this.writeInline(slot, args, S.ARGS_ENC, S.ARGS_LEN, true)) return;
    try {
      this.writePacked(slot, pack(args), S.ARGS_ENC, S.ARGS_LEN, Enc.V8, Enc.BIG, -1);
    } catch (e) {
      throw cloneError(fn, args, e);
    }
  }

  private readArgs(slot: number): unknown[] {
    const { i32, dv } = this.sh;
    const f = this.sh.field(slot, 0);
    const base = this.sh.data(slot);
    const enc = i32[f + S.ARGS_ENC];
    if (enc === Enc.INLINE) {
      this.cursor.pos = base;
      return decode(dv, this.cursor) as unknown[];
    }
    if (enc === Enc.V8) return unpackBytes(this.sh.u8.subarray(base, base + i32[f + S.ARGS_LEN]!)) as unknown[];
    return unpackPayload(this.big.takeArgs(slot, i32[f + S.BIGKEY]!)) as unknown[];
  }

  /** A task that will not run (cancelled, or its function failed to load): its arguments are not needed. */
  private dropArgs(slot: number): void {
    const f = this.sh.field(slot, 0);
    if (this.sh.i32[f + S.ARGS_ENC] === Enc.BIG) this.big.dropArgs(slot, this.sh.i32[f + S.BIGKEY]!);
  }

  // ---------------------------------------------------------------- running
  /**
   * Runs the task in `slot` (already RUNNING with this thread as runner). When `helping`, a task this thread cannot
   * run synchronously (async function, or a module require() cannot load) goes to the I/O pool and false is
   * returned: its workers run it on their event loop, and every CPU worker may be blocked in a join like this one.
   */
  run(slot: number, helping: boolean): boolean {
    const { i32 } = this.sh;
    const f = this.sh.field(slot, 0);
    const fnId = i32[f + S.FN]!;
    let fn: Function;
    try {
      // A task this thread submitted runs its own function object: closures that share one registry entry
      // (a hoisted stand-in made anew per call) differ in what they close over.
      fn = (i32[f + S.SUBMITTER] === this.tid ? this.ownFns.get(slot) : undefined) ?? this.registry.load(fnId);
    } catch (e) {
      if (helping) { this.handToIo(slot); return false; }
      // A module require() cannot load (top-level await): a pool worker may wait for import() instead.
      if ((e as { code?: string }).code === 'ERR_REQUIRE_ASYNC_MODULE') {
        this.pendingAsync++;
        loadFunctionAsync(this.registry.refOf(fnId)).then(
          (loaded) => { this.pendingAsync--; this.registry.remember(fnId, loaded); this.runLoaded(slot, loaded, fnId); },
          (err) => { this.pendingAsync--; this.dropArgs(slot); this.finishError(slot, err, fnId); });
        return true;
      }
      this.dropArgs(slot);
      this.finishError(slot, e, fnId);
      return true;
    }
    if (helping && isAsyncFunction(fn)) { this.handToIo(slot); return false; }
    Atomics.add(i32, this.tid === 0 ? H.RAN_MAIN : H.RAN_WORKERS, 1);
    this.runLoaded(slot, fn, fnId);
    return true;
  }

  private handToIo(slot: number): void {
    const { i32 } = this.sh;
    const f = this.sh.field(slot, 0);
    if (i32[f + S.KIND] !== Kind.IO) {
      i32[f + S.KIND] = Kind.IO;
      this.hooks.wantIo();
    }
    release(this.sh, Kind.IO, slot);
  }

  private runLoaded(slot: number, fn: Function, fnId: number): void {
    let args: unknown[];
    try {
      args = this.readArgs(slot);
    } catch (e) {
      this.finishError(slot, e, fnId);
      return;
    }
    // What the call forks is its own started work: it is finished only when that is (see started.ts).
    const first = ledger.peek();
    const outer = ledger.begin();
    let result: unknown;
    // On a pool worker the call runs in its own async context: what its callbacks throw fails it alone.
    const run = this.tid > 0 ? new TaskRun(slot, this.sh.i32[this.sh.field(slot, S.GEN)]!, fn, fnId) : undefined;
    try {
      result = run ? callInContext(run, fn, args) : callGuarded(fn, args);
    } catch (e) {
      ledger.end(outer, true);
      if (run) run.settled = true;
      this.finishError(slot, e, fnId);
      return;
    }
    if (result !== null && typeof result === 'object' && typeof (result as PromiseLike<unknown>).then === 'function') {
      // Finished when it settles and the forks of its window have (waited for without blocking: a blocking
      // join here could stall the event loop those forks need). Failed or cancelled before that (failRun), its
      // outcome is dropped.
      ledger.end(outer, false);
      ledger.beginAsync(first);
      this.pendingAsync++;
      if (run) this.asyncRuns.set(slot, run);
      const end = () => {
        if (!run) return true;
        run.ended = true;
        if (run.settled) { this.retireIfDone(); return false; }
        run.settled = true;
        this.asyncRuns.delete(slot);
        return true;
      };
      const done = (ok: boolean, v: unknown) => {
        void this.windowSettled(first).then(() => {
          this.pendingAsync--;
          ledger.endAsync(first);
          if (!end()) return;
          if (ok) this.finishValue(slot, v, fnId); else this.finishError(slot, v, fnId);
          this.retireIfDone();
        });
      };
      Promise.resolve(result).then((v) => done(true, v), (e) => done(false, e));
      return;
    }
    // Its forks settle first (joined here, helping), then it counts as finished.
    ledger.end(outer, true);
    if (run) run.settled = true;
    this.finishValue(slot, result, fnId);
  }

  /** Settles once every task this thread started since `start` has. */
  private async windowSettled(start: number): Promise<void> {
    const waits: Promise<void>[] = [];
    for (const t of this.outstanding) if (t.seq >= start && t.settled === Settled.PENDING) waits.push(t.whenSettled());
    await Promise.all(waits);
  }

  /** Joins every outstanding task of this thread; reports failures nobody looked at. Returns how many. */
  drain(): number {
    for (const t of [...this.outstanding]) {
      if (t.settled === Settled.PENDING) this.joinTask(t);
    }
    return ledger.reportAll();
  }

  /** Exported classes of a task function's module (see classes.ts), cached per function id. */
  private classesOf(fnId: number): { module: string; protos: Map<object, string> } | null {
    let c = this.classesByFn.get(fnId);
    if (c === undefined) {
      const ref = this.registry.refOf(fnId);
      const protos = 'module' in ref ? exportedClasses(ref.module, loadedModule(ref)) : null;
      c = protos && 'module' in ref ? { module: ref.module, protos } : null;
      this.classesByFn.set(fnId, c);
    }
    return c;
  }

  private finishValue(slot: number, v: unknown, fnId: number): void {
    if (v !== null && typeof v === 'object' && fnId > 0) {
      const classes = this.classesOf(fnId);
      if (classes) v = tagInstances(v, classes.module, classes.protos);
    }
    if (!this.writeInline(slot, v, S.RES_ENC, S.RES_LEN, false)) {
      try {
        this.writePacked(slot, pack(v), S.RES_ENC, S.RES_LEN, Enc.V8, Enc.BIG, this.sh.i32[this.sh.field(slot, S.SUBMITTER)]!);
      } catch (e) {
        const name = describeFunction(this.registry.load(fnId));
        this.finishError(slot, new ForkError(`the result of ${name} cannot be sent back from the worker: ${(e as Error).message}`), fnId);
        return;
      }
    }
    this.complete(slot, State.DONE);
  }

  finishError(slot: number, e: unknown, fnId: number, state: State = State.FAILED): void {
    let data: SerializedError;
    const ref = fnId > 0 ? this.registry.refOf(fnId) : undefined;
    const exports = ref && 'module' in ref ? loadedModule(ref) : undefined;
    data = serializeError(e, ref && 'module' in ref && exports ? { module: ref.module, exports } : undefined);
    let packed: Packed;
    try { packed = pack(data); } catch { packed = pack({ isError: true, name: 'Error', message: String(e) }); }
    this.writePacked(slot, packed, S.RES_ENC, S.RES_LEN, Enc.ERROR_V8, Enc.ERROR_BIG, this.sh.i32[this.sh.field(slot, S.SUBMITTER)]!);
    this.complete(slot, state);
  }

  /**
   * The payload (arguments or result) of a slot, in the fast encoding when it fits the slot's data area: returns
   * false, writing nothing, for values the inline codec does not handle or that do not fit.
   */
  private writeInline(slot: number, value: unknown, encField: S, lenField: S, spread: boolean): boolean {
    const { i32, dv, layout } = this.sh;
    const f = this.sh.field(slot, 0);
    const base = this.sh.data(slot);
    const end = encode(dv, value, base, base + layout.slotBytes, spread);
    if (end < 0) return false;
    i32[f + encField] = Enc.INLINE;
    i32[f + lenField] = end - base;
    return true;
  }

  /**
   * A packed payload: bytes into the slot's data area when they fit (`small`), else through the big-payload
   * channel (`big`): arguments (`to` < 0) for whichever thread takes the task, a result for the submitter `to`.
   */
  private writePacked(slot: number, packed: Packed, encField: S, lenField: S, small: Enc, big: Enc, to: number): void {
    const { i32, layout } = this.sh;
    const f = this.sh.field(slot, 0);
    const { bytes } = packed;
    if (bytes && bytes.byteLength <= layout.slotBytes) {
      this.sh.u8.set(bytes, this.sh.data(slot));
      i32[f + encField] = small;
    } else {
      // The serializer's buffer is the payload's own (it may be moved): copied only if it is a view into more.
      const own = bytes && (bytes.byteOffset === 0 && bytes.buffer.byteLength === bytes.byteLength ? bytes : bytes.slice());
      const payload: Payload = own ? { bytes: own } : { post: packed.post };
      i32[f + S.BIGKEY] = to < 0 ? this.big.sendArgs(slot, payload) : this.big.sendResult(slot, to, payload);
      i32[f + encField] = big;
    }
    i32[f + lenField] = bytes ? bytes.byteLength : 0;
  }

  private complete(slot: number, state: State): void {
    const { i32, layout } = this.sh;
    const f = this.sh.field(slot, 0);
    Atomics.store(i32, f + S.STATE, state);
    const flags = Atomics.load(i32, f + S.FLAGS);
    if (flags & Flag.JOIN_WAIT) Atomics.notify(i32, f + S.STATE);
    if (flags & Flag.ASYNC) {
      const sub = i32[f + S.SUBMITTER]!;
      Atomics.or(i32, layout.bitmap + sub * layout.bitmapWords + (slot >> 5), 1 << (slot & 31));
      Atomics.add(i32, layout.doorbell + sub, 1);
      Atomics.notify(i32, layout.doorbell + sub, 1);
    }
  }

  // A few freed slots stay with this thread, so a fork and its join take the shared lock once (for the queue)
  // instead of three times: lock holders get preempted when threads outnumber cores.
  private readonly spare: number[] = [];

  private newSlot(): number {
    return this.spare.length > 0 ? this.spare.pop()! : allocSlot(this.sh);
  }

  private freeOwnSlot(slot: number): void {
    if (this.spare.length < 64) {
      Atomics.store(this.sh.i32, this.sh.field(slot, S.STATE), State.FREE);
      this.spare.push(slot);
    } else {
      freeSlot(this.sh, slot);
    }
  }

  // ---------------------------------------------------------------- joining
  /** Blocks until the task is settled, running queued work (newest first) instead of sleeping. */
  joinTask(task: SlotTask): void {
    if (task.slot < 0) {
      this.waitForSlot(task);
      if (task.slot < 0) return; // cancelled while it waited
    }
    const { i32 } = this.sh;
    const f = this.sh.field(task.slot, 0);
    let triedOwn = !this.helps;
    let helpFailed = false;
    for (;;) {
      const s = Atomics.load(i32, f + S.STATE);
      if (s >= State.DONE) break;
      if (s === State.QUEUED && !triedOwn) {
        // Not started yet: run it here rather than wait for a worker to pick it up (an I/O task too: this thread
        // is blocked anyway, and I/O workers all blocked in such joins would otherwise wait for each other).
        if (Atomics.compareExchange(i32, f + S.STATE, State.QUEUED, State.RUNNING) === State.QUEUED) {
          Atomics.store(i32, f + S.RUNNER, this.tid);
          claimed(this.sh, i32[f + S.KIND] as Kind);
          if (!this.run(task.slot, true)) triedOwn = true;
          continue;
        }
      }
      if (!helpFailed && this.helps) {
        const slot = take(this.sh, Kind.CPU, this.tid, true);
        if (slot >= 0) {
          // A task this thread cannot run synchronously goes back; stop trying until something changes.
          if (!this.run(slot, true)) helpFailed = true;
          continue;
        }
      }
      // Nothing to help with: spin briefly (waking a sleeper costs tens of us), then sleep on the task's state.
      const until = process.hrtime.bigint() + this.spinNs;
      let changed = false;
      while (process.hrtime.bigint() < until) {
        if (Atomics.load(i32, f + S.STATE) !== s || (!helpFailed && this.helps && liveTasks(this.sh, Kind.CPU) > 0)) { changed = true; break; }
      }
      if (changed) continue;
      Atomics.or(i32, f + S.FLAGS, Flag.JOIN_WAIT);
      Atomics.wait(i32, f + S.STATE, s, 2);
      helpFailed = false;
    }
    this.consume(task);
  }

  /** Runs one queued cpu task (newest first) if there is one. */
  helpOnce(oldest: boolean): boolean {
    if (!this.helps) { Atomics.wait(this.sh.i32, H.SLEEP, 0, 0.05); return false; }
    const slot = take(this.sh, Kind.CPU, this.tid, !oldest);
    if (slot < 0) return false;
    return this.run(slot, true);
  }

  /** Reads a settled task's outcome out of its slot and frees the slot. Once per task. */
  consume(task: SlotTask): void {
    if (task.settled !== Settled.PENDING) return;
    const { i32 } = this.sh;
    const slot = task.slot;
    const f = this.sh.field(slot, 0);
    const s = Atomics.load(i32, f + S.STATE);
    const enc = i32[f + S.RES_ENC];
    const base = this.sh.data(slot);
    const len = i32[f + S.RES_LEN]!;
    try {
      if (s === State.DONE) {
        if (enc === Enc.INLINE) { this.cursor.pos = base; task.value = decode(this.sh.dv, this.cursor); }
        else if (enc === Enc.V8) task.value = unpackBytes(this.sh.u8.subarray(base, base + len));
        else task.value = unpackPayload(this.big.takeResult(i32[f + S.BIGKEY]!));
        task.value = restoreInstances(task.value);
        task.settled = Settled.DONE;
      } else {
        const data = (enc === Enc.ERROR_V8 ? unpackBytes(this.sh.u8.subarray(base, base + len))
          : unpackPayload(this.big.takeResult(i32[f + S.BIGKEY]!))) as SerializedError;
        task.error = reviveError(data, callSiteOf(task.callSite));
        // Cancelled while running: the supervisor wrote the error, but the reason is only known here.
        if (s === State.CANCELLED && task.cancelReason !== undefined && task.error instanceof Error && !('cause' in task.error)) {
          Object.defineProperty(task.error, 'cause', { value: task.cancelReason, writable: true, configurable: true });
        }
        this.forkCounts.set(this.registry.idOf(task.fn), -1);
        task.settled = s === State.CANCELLED ? Settled.CANCELLED : Settled.FAILED;
        ledger.failed(task);
      }
    } catch (e) {
      task.error = e;
      task.settled = Settled.FAILED;
      ledger.failed(task);
    }
    this.outstanding.delete(task);
    this.ownFns.delete(slot);
    if (task.unlisten) { task.unlisten(); task.unlisten = undefined; }
    this.watching.delete(slot);
    this.big.forget(slot);
    this.freeOwnSlot(slot);
    if (this.backlog.length > 0) this.flushBacklog();
    task.settlePromise();
  }

  /** Consumes every settled task of this thread, freeing their slots. */
  harvest(): void {
    const { i32 } = this.sh;
    for (const t of this.outstanding) {
      if (t.slot >= 0 && Atomics.load(i32, this.sh.field(t.slot, S.STATE)) >= State.DONE) this.consume(t);
    }
  }

  // ---------------------------------------------------------------- awaiting
  /** Settles the task's promise when it completes, without running any work on this thread's event loop. */
  watch(task: SlotTask): void {
    if (task.slot < 0) { task.wantsWatch = true; return; } // the backlog's listener is running; place() watches it
    const { i32 } = this.sh;
    const f = this.sh.field(task.slot, 0);
    this.watching.set(task.slot, task);
    Atomics.or(i32, f + S.FLAGS, Flag.ASYNC);
    if (Atomics.load(i32, f + S.STATE) >= State.DONE) { this.consume(task); return; }
    if (!this.listening) void this.listen();
  }

  private async listen(): Promise<void> {
    this.listening = true;
    // A pending Atomics.waitAsync does not keep Node alive; this timer does, while someone awaits a task.
    this.keepAlive ??= setInterval(() => {}, 1 << 30);
    const { i32, layout } = this.sh;
    const bell = layout.doorbell + this.tid;
    try {
      while (this.watching.size > 0 || this.backlog.length > 0) {
        const seen = Atomics.load(i32, bell);
        this.drainBitmap();
        if (this.backlog.length > 0) this.harvest(); // frees the slots of finished tasks, which flushes the backlog
        if (this.watching.size === 0 && this.backlog.length === 0) break;
        const r = waitAsync(i32, bell, seen);
        if (r.async) await r.value;
      }
    } finally {
      this.listening = false;
      clearInterval(this.keepAlive);
      this.keepAlive = undefined;
    }
  }

  private drainBitmap(): void {
    const { i32, layout } = this.sh;
    const start = layout.bitmap + this.tid * layout.bitmapWords;
    for (let w = 0; w < layout.bitmapWords; w++) {
      let bits = Atomics.load(i32, start + w) === 0 ? 0 : Atomics.exchange(i32, start + w, 0);
      while (bits !== 0) {
        const b = 31 - Math.clz32(bits & -bits);
        bits &= bits - 1;
        const task = this.watching.get(w * 32 + b);
        if (task && Atomics.load(i32, this.sh.field(task.slot, S.STATE)) >= State.DONE) this.consume(task);
      }
    }
  }

  // ---------------------------------------------------------------- cancelling
  cancelTask(task: SlotTask, reason: unknown): void {
    if (task.slot < 0) {
      // Still in the backlog: it never reached the queue.
      this.backlog.splice(this.backlog.indexOf(task), 1);
      task.backlogged = undefined;
      task.error = cancelledError(task, reason);
      task.settled = Settled.CANCELLED;
      ledger.failed(task);
      this.outstanding.delete(task);
      if (task.unlisten) { task.unlisten(); task.unlisten = undefined; }
      task.settlePromise();
      return;
    }
    const { i32 } = this.sh;
    const f = this.sh.field(task.slot, 0);
    if (Atomics.compareExchange(i32, f + S.STATE, State.QUEUED, State.RUNNING) === State.QUEUED) {
      Atomics.store(i32, f + S.RUNNER, this.tid);
      claimed(this.sh, i32[f + S.KIND] as Kind);
      this.dropArgs(task.slot);
      this.finishError(task.slot, cancelledError(task, reason), 0, State.CANCELLED);
      this.consume(task);
      return;
    }
    if (Atomics.load(i32, f + S.STATE) === State.RUNNING) {
      Atomics.or(i32, f + S.FLAGS, Flag.CANCEL);
      const runner = Atomics.load(i32, f + S.RUNNER);
      const why = reason === undefined ? '' : `: ${reason instanceof Error ? reason.message : String(reason)}`;
      if (runner > 0) this.hooks.cancelRunning(task.slot, Atomics.load(i32, f + S.GEN), runner, why, isAsyncFunction(task.fn));
    }
  }

  // ---------------------------------------------------------------- failures outside a task's own code
  /**
   * On a pool worker: settles a running async task from outside its promise chain (an uncaught exception in its
   * async context, a cancel). Its leftover work may go on; what it returns later is dropped.
   */
  failRun(run: TaskRun, e: unknown, state: State = State.FAILED): boolean {
    if (run.settled) return false;
    run.settled = true;
    this.asyncRuns.delete(run.slot);
    this.finishError(run.slot, e, run.fnId, state);
    return true;
  }

  /**
   * A cancel the supervisor passed on: settles that run (slot and generation) if it is an async one here. Its
   * leftover work cannot be stopped from outside; if it has not ended a second later, this worker retires: it takes
   * no new task, finishes the calls it runs for others, then exits (and is replaced), taking the leftover with it.
   */
  cancelRun(slot: number, gen: number, why: string): void {
    const run = this.asyncRuns.get(slot);
    if (!run || run.gen !== gen) return;
    this.failRun(run, new TaskCancelledError(`forked call of ${describeFunction(run.fn)} was cancelled${why}; it was stopped on its worker, which goes on with its other calls`), State.CANCELLED);
    setTimeout(() => { if (!run.ended) { this.retiring = true; this.retireIfDone(); } }, RETIRE_AFTER_CANCEL_MS).unref();
  }

  /** Set when this pool worker takes no more tasks and exits once it runs none (see cancelRun). */
  retiring = false;

  private retireIfDone(): void {
    if (this.retiring && this.asyncRuns.size === 0 && !ledger.inTask) exitThread(0);
  }

  /** An uncaught exception or unhandled rejection on a pool worker: fails the task whose async context raised it. */
  uncaught(e: unknown): void {
    const run = current.getStore();
    if (run && this.failRun(run, e)) return;
    const where = run ? `a forked call of ${describeFunction(run.fn)} after it had finished` : 'code outside any forked call';
    const err = e as { stack?: string };
    writeSync(2, `tsfork: an uncaught exception on pool worker ${this.tid}, from ${where}; the worker goes on:\n${err?.stack ?? String(e)}\n`);
    Atomics.store(this.sh.i32, H.UNJOINED_FAIL, 1);
  }

  // ---------------------------------------------------------------- a pool that cannot start its workers
  /** Marks pool `kind` as unable to start its workers: `error` fails every task queued on it, and every later one. */
  breakPool(kind: Kind, error: Error): void {
    const { i32, u8, layout } = this.sh;
    if (Atomics.or(i32, H.BROKEN, 4 << kind) & (4 << kind)) return; // someone broke it already
    let bytes = v8.serialize(serializeError(error));
    if (bytes.byteLength > BROKEN_BYTES - 4) bytes = v8.serialize({ isError: true, className: error.constructor.name, name: error.name, message: error.message.slice(0, 1000) });
    const base = layout.brokenBase + kind * (BROKEN_BYTES / 4);
    u8.set(bytes, (base + 1) * 4);
    Atomics.store(i32, base, bytes.byteLength);
    Atomics.or(i32, H.BROKEN, 1 << kind);
    for (let slot = 0; slot < layout.slots; slot++) {
      if (i32[this.sh.field(slot, S.KIND)] === kind) this.failIfQueued(slot, kind, error);
    }
  }

  /** The error that broke pool `kind` (a fresh instance each time). */
  brokenError(kind: Kind): Error {
    let data = this.brokenData[kind];
    if (!data) {
      const base = this.sh.layout.brokenBase + kind * (BROKEN_BYTES / 4);
      const at = (base + 1) * 4;
      data = this.brokenData[kind] = v8.deserialize(this.sh.u8.slice(at, at + this.sh.i32[base]!)) as SerializedError;
    }
    return reviveError(data) as Error;
  }

  /** Fails the task in `slot` with `error` if it has not started. */
  failIfQueued(slot: number, kind: Kind, error: Error): void {
    const { i32 } = this.sh;
    const f = this.sh.field(slot, 0);
    if (Atomics.compareExchange(i32, f + S.STATE, State.QUEUED, State.RUNNING) !== State.QUEUED) return;
    Atomics.store(i32, f + S.RUNNER, this.tid);
    claimed(this.sh, kind);
    this.finishError(slot, error, 0);
  }

  /** Fails every task running on a pool worker (the supervisor is gone, and its workers with it). */
  failRunningOnWorkers(error: Error): void {
    const { i32, layout } = this.sh;
    for (let slot = 0; slot < layout.slots; slot++) {
      const f = this.sh.field(slot, 0);
      if (Atomics.load(i32, f + S.STATE) === State.RUNNING && Atomics.load(i32, f + S.RUNNER) > 0) this.finishError(slot, error, 0);
    }
  }
}

function cancelledError(task: SlotTask, reason: unknown): Error {
  const why = reason === undefined ? '' : `: ${reason instanceof Error ? reason.message : String(reason)}`;
  return new TaskCancelledError(`forked call of ${describeFunction(task.fn)} was cancelled${why}`, reason === undefined ? undefined : { cause: reason });
}

function unpackPayload(p: Payload): unknown {
  return p.bytes ? unpackBytes(p.bytes) : p.post!.value;
}

function callSiteOf(site: { stack?: string } | undefined): string | undefined {
  const stack = site?.stack;
  if (!stack) return undefined;
  const nl = stack.indexOf('\n');
  return nl < 0 ? undefined : stack.slice(nl + 1);
}

/** The ForkError for an argument list that cannot be structured-cloned, naming the argument's position. */
export function cloneError(fn: Function, args: unknown[], cause: unknown): ForkError {
  const name = describeFunction(fn);
  for (let i = 0; i < args.length; i++) {
    const e = cloneProblem(args[i]);
    if (e !== undefined) {
      return new ForkError(`fork(${name}, ...): argument ${i + 1} (${describeValue(args[i])}) cannot be sent to a worker: ${(e as Error).message}`, { cause: e });
    }
  }
  return new ForkError(`fork(${name}, ...): the arguments cannot be sent to a worker: ${(cause as Error).message}`, { cause });
}

function describeValue(v: unknown): string {
  if (typeof v === 'function') return `function ${v.name || '<anonymous>'}`;
  if (typeof v === 'symbol') return v.toString();
  if (v && typeof v === 'object') return `${v.constructor?.name ?? 'object'}`;
  return typeof v;
}
