// Pool API used by fork and by map/par. First version: runs the task inline (the shared-memory pool follows).
import type { SubmitOptions, Task, TaskState } from './task.js';
export type { SubmitOptions, Task, TaskState, PoolKind } from './task.js';

class InlineTask<T> implements Task<T> {
  state: TaskState = 'running';
  private value: T | undefined;
  private error: unknown;
  private _promise: Promise<T> | undefined;
  constructor(fn: Function, args: unknown[]) {
    try {
      this.value = fn(...args);
      this.state = 'done';
    } catch (e) {
      this.error = e;
      this.state = 'failed';
    }
  }
  get promise(): Promise<T> {
    if (!this._promise) {
      this._promise = this.state === 'failed' ? Promise.reject(this.error) : Promise.resolve(this.value as T);
      this._promise.catch(() => {});
    }
    return this._promise;
  }
  join(): T {
    if (this.state === 'failed') throw this.error;
    return this.value as T;
  }
  cancel(): void {}
}

export function submit<T = unknown>(fn: Function, args: unknown[], _opts?: SubmitOptions): Task<T> {
  return new InlineTask<T>(fn, args);
}
