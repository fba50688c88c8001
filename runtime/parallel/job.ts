// asyncMap / asyncPar: a handle that has not started (Python's async_map/async_par executors).
//   await using job = asyncMap(fn, inputs).start();   // leaving the block shuts it down
//   for await (const [key, value] of job) ...          // completion order
//   const results = await job.results();               // input order
import type { CallRun } from './call.js';
import { ShutdownError } from './errors.js';
import type { Results } from './results.js';
import { runAsync } from './run-async.js';

export type JobStatus = 'not-started' | 'started' | 'done' | 'failed';

export class ParallelJob<R = Results<any>, K = string | number, V = unknown> implements AsyncIterable<[K, V]> {
  #run: CallRun;
  #status: JobStatus = 'not-started';
  #promise: Promise<R> | undefined;
  #stop = new AbortController();
  #arrived: number[] = []; // indexes, in completion order
  #read = 0;
  #wake: (() => void) | undefined;
  #settled: { error?: unknown; failed: boolean } | undefined;

  constructor(run: CallRun) {
    this.#run = run;
  }

  get status(): JobStatus { return this.#status; }

  /** Starts every task (at most maxWorkers at a time); returns the handle. */
  start(): this {
    const where = this.#run.plan.where;
    if (this.#status !== 'not-started') throw new Error(`${where}: start() called twice`);
    if (this.#stop.signal.aborted) throw new ShutdownError(`${where}: the job was shut down before it started`);
    this.#status = 'started';
    this.#run.onItem = (i) => {
      this.#arrived.push(i);
      this.#wake?.();
    };
    this.#promise = runAsync(this.#run, [this.#stop.signal]).then(
      (r) => {
        this.#status = (r as any).failures ? 'failed' : 'done';
        this.#settled = { failed: false };
        this.#wake?.();
        return r as R;
      },
      (error) => {
        this.#status = 'failed';
        this.#settled = { failed: true, error };
        this.#wake?.();
        throw error;
      },
    );
    this.#promise.catch(() => {}); // the error belongs to whoever awaits results() or iterates
    return this;
  }

  /** The results in input order, like map/par; rejects if the job was not started. */
  results(): Promise<R> {
    if (!this.#promise) {
      return Promise.reject(new Error(`${this.#run.plan.where}: results() before start(); call job.start() first`));
    }
    return this.#promise;
  }

  /** Stops what is still pending or running (workers ended) and waits until it has stopped. */
  async shutdown(): Promise<void> {
    if (!this.#stop.signal.aborted) {
      this.#stop.abort(new ShutdownError(`${this.#run.plan.where}: shut down before it finished`));
    }
    if (this.#promise) await this.#promise.then(() => {}, () => {});
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.shutdown();
  }

  /** [key, value] pairs as tasks finish (completion order); throws the call's error in default mode. */
  async *[Symbol.asyncIterator](): AsyncIterator<[K, V]> {
    if (!this.#promise) throw new Error(`${this.#run.plan.where}: iterating before start(); call job.start() first`);
    for (;;) {
      if (this.#read < this.#arrived.length) {
        const i = this.#arrived[this.#read++]!;
        const keys = this.#run.plan.keys;
        yield [(keys ? keys[i] : i) as K, this.#run.values[i] as V];
        continue;
      }
      if (this.#settled) break;
      await new Promise<void>((resolve) => { this.#wake = resolve; });
      this.#wake = undefined;
    }
    if (this.#settled.failed) throw this.#settled.error;
  }
}
