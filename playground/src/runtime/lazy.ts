// A fork's result: a value that arrives later. join() blocks (workers only); `await` works everywhere.
import { decodeError, decodeValue } from './codec';
import { currentHost } from './host';
import { now } from './messages';
import { FAILED, OK, readReply, replyState, waitReply, waitReplyAsync } from './reply';

const LAZY = Symbol.for('tsfork.lazy');

type Outcome<T> = { ok: true; value: T } | { ok: false; error: unknown };

export class Lazy<T> implements PromiseLike<T> {
  readonly [LAZY] = true;
  #outcome: Outcome<T> | undefined;
  #pending: Promise<T> | undefined;

  constructor(
    readonly taskId: string,
    private readonly reply: SharedArrayBuffer | undefined,
    outcome?: Outcome<T> | Promise<T>,
  ) {
    if (outcome instanceof Promise) {
      this.#pending = outcome;
      outcome.then((value) => { this.#outcome = { ok: true, value }; }, (error: unknown) => { this.#outcome = { ok: false, error }; });
    } else {
      this.#outcome = outcome;
    }
  }

  get settled(): boolean {
    return this.#outcome !== undefined || (this.reply !== undefined && replyState(this.reply) !== 0);
  }

  join(): T {
    if (!this.#outcome) {
      if (!this.reply) {
        throw new Error(`tsfork playground: task ${this.taskId} ran inline and returned a promise; await it instead of joining`);
      }
      if (replyState(this.reply) === 0) {
        const host = currentHost();
        host?.post({ type: 'blocked', at: now(), task: this.taskId });
        waitReply(this.reply);
        host?.post({ type: 'unblocked', at: now() });
      }
      this.#outcome = this.#read();
    }
    if (this.#outcome.ok) return this.#outcome.value;
    throw this.#outcome.error;
  }

  then<A = T, B = never>(onValue?: ((value: T) => A | PromiseLike<A>) | null, onError?: ((error: unknown) => B | PromiseLike<B>) | null): Promise<A | B> {
    return this.#promise().then(onValue, onError);
  }

  #promise(): Promise<T> {
    if (this.#outcome) return this.#outcome.ok ? Promise.resolve(this.#outcome.value) : Promise.reject(this.#outcome.error);
    if (this.#pending) return this.#pending;
    const reply = this.reply!;
    this.#pending = waitReplyAsync(reply).then(() => {
      this.#outcome ??= this.#read();
      if (this.#outcome.ok) return this.#outcome.value;
      throw this.#outcome.error;
    });
    return this.#pending;
  }

  #read(): Outcome<T> {
    const reply = this.reply!;
    const state = replyState(reply);
    if (state === OK) return { ok: true, value: decodeValue(readReply(reply)) as T };
    if (state === FAILED) return { ok: false, error: decodeError(readReply(reply)) };
    throw new Error(`tsfork playground: task ${this.taskId} read before it finished`);
  }
}

export function isLazy(value: unknown): value is Lazy<unknown> {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[LAZY] === true;
}
