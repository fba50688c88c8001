// The Task handle the pools return (docs/internals.md "Pool API").
export type TaskState = 'queued' | 'running' | 'done' | 'failed' | 'cancelled';
export type PoolKind = 'cpu' | 'io';

export interface SubmitOptions {
  kind?: PoolKind;
  signal?: AbortSignal;
}

export interface Task<T = unknown> {
  /** Settles with the value or the revived error; never reported as unhandled by itself. */
  readonly promise: Promise<T>;
  /** Blocking join: helps run queued work while it waits. */
  join(): T;
  /** Queued: removed and rejected. Running: settled at once; a synchronous task's worker is terminated, an async one is settled on its worker. */
  cancel(reason?: unknown): void;
  readonly state: TaskState;
}
