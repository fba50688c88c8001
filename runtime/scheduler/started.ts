// One account, per thread, of the work it started: queued tasks and calls run inline alike, so none is lost and
// no failure goes unseen, whatever the load decided.
// - A synchronous task ends only after every fork made during its call has settled (a frame: a mark on a stack).
// - An async task ends only after every fork this thread made since it began has settled: its awaits interleave
//   with other tasks', so which of them made a fork after an await is not known; a window of sequence numbers
//   is the safe over-approximation (it may wait for a neighbour's forks, never for fewer than its own).
// - The main program's own forks settle before exit (the pool's exit hooks).
// A failure nobody looked at is reported once its owner has ended: at a frame's end, when every async task that
// may own it has ended, or at exit.
import { writeSync } from 'node:fs';
import { isMainThread } from 'node:worker_threads';
import { describeFunction } from '../function-ref.js';
import { withoutRuntimeFrames } from '../errors.js';

export const enum Settled { PENDING = 0, DONE = 1, FAILED = 2, CANCELLED = 3 }

/** A started call: a queued task (SlotTask) or one run inline. */
export interface Started {
  readonly seq: number;
  settled: Settled;
  observed: boolean;
  error: unknown;
  readonly fn: Function;
  /** Blocks until settled; does not count as looking at the outcome. */
  settle(): void;
}

export class Ledger {
  private next = 0;
  private readonly stack: Started[] = [];
  private mark = -1;           // start of the running synchronous task's frame; -1: none on this thread's stack
  private compactAt = 0;
  private readonly saved: number[] = [];
  private readonly asyncStarts: number[] = []; // first seq of each async task still running here
  readonly unobserved = new Set<Started>();
  /** Called once a failure nobody joined has been printed (the pool makes the exit code non-zero). */
  onUnjoined: () => void = () => { process.exitCode = 1; };

  constructor() {
    // A program that only ever forks unsafe calls starts no pool; its unjoined failures are reported all the same.
    if (isMainThread) process.on('beforeExit', () => this.reportAll());
  }

  /** Whether a synchronous task is running on this thread's stack. */
  get inTask(): boolean { return this.mark >= 0; }

  /** The sequence number for a call being started now. */
  seq(): number { return this.next++; }

  /** The sequence number the next started call will get. */
  peek(): number { return this.next; }

  add(w: Started): void {
    if (w.settled !== Settled.PENDING && w.settled !== Settled.DONE) this.failed(w);
    if (this.mark < 0) return;
    this.stack.push(w);
    if (this.stack.length >= this.compactAt) this.compact();
  }

  /** w settled as failed or cancelled. */
  failed(w: Started): void {
    if (!w.observed) this.unobserved.add(w);
  }

  observe(w: Started): void {
    w.observed = true;
    this.unobserved.delete(w);
  }

  /** A synchronous task starts on this thread: returns the token end() takes. */
  begin(): number {
    const outer = this.mark;
    this.saved.push(this.compactAt);
    this.mark = this.stack.length;
    this.compactAt = this.mark + 256;
    return outer;
  }

  /**
   * The task ends. `settle`: a synchronous task, whose forks are all settled now (joined here, helping) and its
   * unjoined failures reported; otherwise an async task's synchronous start, whose forks its window covers.
   */
  end(outer: number, settle: boolean): void {
    const from = this.mark;
    if (settle) {
      // Helping inside settle() runs other tasks' frames above this one; they leave the stack as they found it.
      for (let i = from; i < this.stack.length; i++) {
        const w = this.stack[i]!;
        if (w.settled === Settled.PENDING) w.settle();
      }
      for (let i = from; i < this.stack.length; i++) {
        const w = this.stack[i]!;
        if (this.unobserved.has(w)) this.report(w);
      }
    }
    this.stack.length = from;
    this.mark = outer;
    this.compactAt = this.saved.pop()!;
  }

  /** An async task's synchronous part has returned; its window starts at `start` (peek() before that part). */
  beginAsync(start: number): void {
    this.asyncStarts.push(start);
  }

  /** An async task has ended, its window settled: reports failures no running async task may still own. */
  endAsync(start: number): void {
    this.asyncStarts.splice(this.asyncStarts.indexOf(start), 1);
    if (this.unobserved.size === 0) return;
    const before = this.asyncStarts.length > 0 ? Math.min(...this.asyncStarts) : Infinity;
    for (const w of [...this.unobserved]) if (w.seq < before) this.report(w);
  }

  /** Reports every failure nobody looked at (program exit). Returns how many. */
  reportAll(): number {
    const n = this.unobserved.size;
    for (const w of [...this.unobserved]) this.report(w);
    return n;
  }

  private report(w: Started): void {
    this.unobserved.delete(w);
    const e = w.error as { stack?: string };
    writeSync(2, `tsfork: a forked call of ${describeFunction(w.fn)} failed and nobody joined it:\n${typeof e?.stack === 'string' ? withoutRuntimeFrames(e.stack) : String(e)}\n`);
    this.onUnjoined();
  }

  /** A task that forks a lot and joins as it goes keeps only what is still pending or failed unseen. */
  private compact(): void {
    let k = this.mark;
    for (let i = this.mark; i < this.stack.length; i++) {
      const w = this.stack[i]!;
      if (w.settled === Settled.PENDING || this.unobserved.has(w)) this.stack[k++] = w;
    }
    this.stack.length = k;
    this.compactAt = k + Math.max(256, k - this.mark);
  }
}

/** This thread's ledger. */
export const ledger = new Ledger();
