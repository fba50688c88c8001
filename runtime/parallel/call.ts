// One map/par call: which items go in which chunk, what came back, and when the call is over.
// Shared by the async driver (run-async.ts) and the blocking one (run-sync.ts).
import { inspect } from 'node:util';
import { WorkerDiedError, reviveError, type SerializedError } from '../errors.js';
import type { FunctionRef } from '../function-ref.js';
import type { ChunkResult } from './chunk-runner.js';
import { ChunkSizer } from './chunk-size.js';
import type { ChunkTask, Executor } from './executors.js';
import { FailedTask } from './failed-task.js';
import { argsOf, placeOf } from './items.js';
import type { ParallelOptions } from './options.js';
import { progressReport, type ProgressReport } from './progress.js';
import { makeResults, type Results } from './results.js';
import { TimeoutError } from './errors.js';

/** A function as a call runs it: the function, how it reaches a worker, its pool. */
export interface Target {
  fn: Function;
  name: string;
  ref: FunctionRef;
  kind: 'cpu' | 'io';
}

export interface CallPlan {
  where: string;            // 'map', 'thread.par', ... for messages
  keys: string[] | null;    // null: results are an array
  wire: unknown[];          // each item's arguments in wire form (items.ts)
  targets: Target[];        // map: one function; par: one per entry
  chunkable: boolean;       // map: many items per task; par: one entry per task
}

export interface Chunk {
  start: number;
  end: number;
  target: Target;
  task?: ChunkTask;
  cancelled: boolean;
}

const CLONE_ERROR = /could not be cloned|DataCloneError|cannot be cloned|Cannot serialize|Unserializable/i;

export class CallRun {
  readonly n: number;
  readonly values: unknown[];
  readonly settledSlots: Uint8Array;
  readonly inflight = new Set<Chunk>();
  readonly silent: boolean;
  readonly limit: number;
  private next = 0;
  /** Halves of chunks whose worker died, run again before new chunks (see chunkFailed). */
  private readonly retries: Chunk[] = [];
  private done = 0;
  private firstFail = Infinity;
  private firstError: unknown;
  private stopReason: { reason: unknown } | undefined;
  private readonly sizer: ChunkSizer;
  private readonly progress: ProgressReport | undefined;
  /** Called as each slot settles (value or FailedTask), in completion order. */
  onItem: ((index: number, value: unknown) => void) | undefined;

  constructor(readonly plan: CallPlan, readonly options: ParallelOptions, readonly executor: Executor) {
    this.n = plan.wire.length;
    this.values = new Array(this.n);
    this.settledSlots = new Uint8Array(this.n);
    this.silent = options.silent === true;
    const workers = executor.size();
    // two chunks per worker keep every worker fed while results travel back
    this.limit = options.maxWorkers ?? workers * 2;
    this.sizer = new ChunkSizer(this.n, Math.min(workers, options.maxWorkers ?? workers), plan.chunkable ? options.chunkSize : 1);
    this.progress = progressReport(plan.where, options);
  }

  get stopped(): boolean { return this.stopReason !== undefined; }

  /** The next chunk to run, or undefined when nothing more should start. */
  nextChunk(): Chunk | undefined {
    const end = Math.min(this.n, this.firstFail);
    if (this.stopReason) return undefined;
    while (this.retries.length > 0) {
      const again = this.retries.shift()!;
      if (again.start < end) return again;
    }
    if (this.next >= end) return undefined;
    const start = this.next;
    const target = this.plan.chunkable ? this.plan.targets[0]! : this.plan.targets[start]!;
    const size = this.plan.chunkable ? this.sizer.next(end - start) : 1;
    this.next = start + size;
    return { start, end: start + size, target, cancelled: false };
  }

  hasMore(): boolean {
    const end = Math.min(this.n, this.firstFail);
    return !this.stopReason && (this.next < end || this.retries.some((c) => c.start < end));
  }

  /** Starts a chunk on the executor; an argument that cannot reach a worker stops the call. */
  dispatch(chunk: Chunk): boolean {
    const items = this.plan.wire.slice(chunk.start, chunk.end);
    try {
      chunk.task = this.executor.start(chunk.target.ref, items, !this.silent, chunk.target.kind);
    } catch (e) {
      this.stop(this.inputError(chunk, e));
      return false;
    }
    this.inflight.add(chunk);
    return true;
  }

  complete(chunk: Chunk, result: ChunkResult): void {
    this.inflight.delete(chunk);
    const { values, errors, ms } = result;
    if (this.plan.chunkable) this.sizer.observe(chunk.end - chunk.start, ms);
    let e = 0;
    for (let k = 0; k < values.length; k++) {
      if (e < errors.length && errors[e]![0] === k) { e++; continue; }
      this.settle(chunk.start + k, values[k]);
    }
    for (const [k, data] of errors) {
      this.fail(chunk, chunk.start + k, reviveError(data as SerializedError));
    }
    this.count(chunk.end - chunk.start);
  }

  /** The chunk's task itself failed (worker died, result not cloneable, cancelled...). */
  chunkFailed(chunk: Chunk, error: unknown): void {
    this.inflight.delete(chunk);
    if (chunk.cancelled) return;
    if (error instanceof WorkerDiedError) {
      // A failure belongs to its own item: which item killed the worker is unknown (a chunk's results come back
      // together), so both halves run again, until the item that kills its worker runs alone and fails alone.
      const size = chunk.end - chunk.start;
      if (size > 1) {
        const mid = chunk.start + (size >> 1);
        this.retries.push({ start: chunk.start, end: mid, target: chunk.target, cancelled: false },
          { start: mid, end: chunk.end, target: chunk.target, cancelled: false });
        return;
      }
      error = this.itemDied(chunk, error);
    }
    if (error instanceof Error && CLONE_ERROR.test(`${error.name} ${error.message}`)) {
      const bad = this.findUncloneable(chunk);
      if (bad !== undefined) { this.stop(this.inputError(chunk, error)); return; }
    }
    for (let i = chunk.start; i < chunk.end; i++) this.fail(chunk, i, error);
    this.count(chunk.end - chunk.start);
  }

  /** Stops everything: pending chunks never start, running ones are cancelled. */
  stop(reason: unknown): void {
    if (this.stopReason) return;
    this.stopReason = { reason };
    for (const c of this.inflight) this.cancel(c);
  }

  /** The call's value, once nothing is in flight: results, or throws the call's error. */
  outcome(): Results<any> {
    if (this.stopReason) {
      const { reason } = this.stopReason;
      if (!(this.silent && reason instanceof TimeoutError)) throw reason;
      // silent: the tasks the timeout stopped are failures like any other
      for (let i = 0; i < this.n; i++) {
        if (!this.settledSlots[i]) this.values[i] = new FailedTask(this.targetOf(i).name, argsOf(this.plan.wire[i]), reason);
      }
    } else if (this.firstFail < Infinity) {
      throw this.firstError;
    }
    return makeResults(this.plan.keys, this.values);
  }

  /** The error of a call whose `timeout` ran out. */
  timedOut(): TimeoutError {
    return new TimeoutError(`${this.plan.where}: timed out after ${this.options.timeout} ms (the timeout bounds the whole call); unfinished tasks were stopped`);
  }

  cancelAll(): void {
    for (const c of this.inflight) this.cancel(c);
  }

  private cancel(chunk: Chunk): void {
    if (chunk.cancelled) return;
    chunk.cancelled = true;
    try { chunk.task?.cancel(); } catch { /* already settled */ }
  }

  /** A worker death as the item's own failure: the message names the user's function and the item, not the runner. */
  private itemDied(chunk: Chunk, error: WorkerDiedError): WorkerDiedError {
    const who = this.plan.chunkable ? `${chunk.target.name} on ${placeOf(this.plan.keys, chunk.start)}` : `${chunk.target.name} (${placeOf(this.plan.keys, chunk.start)})`;
    const text = error.message.replace(/\brunChunk(Bytes)?\b/, who);
    const out = new WorkerDiedError(`${this.plan.where}: ${text}`, error.cause === undefined ? undefined : { cause: error.cause });
    for (const key of Object.keys(error)) (out as unknown as Record<string, unknown>)[key] = (error as unknown as Record<string, unknown>)[key];
    return out;
  }

  private targetOf(index: number): Target {
    return this.plan.chunkable ? this.plan.targets[0]! : this.plan.targets[index]!;
  }

  private settle(index: number, value: unknown): void {
    if (this.settledSlots[index]) return;
    this.settledSlots[index] = 1;
    this.values[index] = value;
    this.onItem?.(index, value);
  }

  private fail(chunk: Chunk, index: number, error: unknown): void {
    if (this.silent) {
      // a thrown non-Error keeps its value; the message shows it (String() of an object says "[object Object]")
      const text = typeof error === 'string' ? error : inspect(error, { depth: 4, breakLength: Infinity });
      const err = error instanceof Error ? error : Object.assign(new Error(text), { value: error });
      this.settle(index, new FailedTask(chunk.target.name, argsOf(this.plan.wire[index]), err));
      return;
    }
    // Default mode: the call rejects with the failure a sequential loop would meet first. Tasks after it are
    // stopped at once; tasks before it still finish, as one of them could fail first.
    if (index < this.firstFail) {
      this.firstFail = index;
      this.firstError = error;
      for (const c of this.inflight) if (c.start > index) this.cancel(c);
    }
  }

  private count(items: number): void {
    this.done += items;
    this.progress?.(this.done, this.n);
  }

  private findUncloneable(chunk: Chunk): number | undefined {
    for (let i = chunk.start; i < chunk.end; i++) {
      try { structuredClone(this.plan.wire[i]); } catch { return i; }
    }
    return undefined;
  }

  private inputError(chunk: Chunk, cause: unknown): unknown {
    const bad = this.findUncloneable(chunk);
    if (bad === undefined) return cause;
    const what = this.plan.chunkable ? 'the arguments of' : 'the arguments of entry';
    const msg = cause instanceof Error ? cause.message : String(cause);
    return new TypeError(`${this.plan.where}: ${what} ${placeOf(this.plan.keys, bad)} cannot be sent to a worker (${msg}); pass plain data (no functions, class instances with private state, sockets...)`, { cause });
  }
}
