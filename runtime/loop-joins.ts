// What compiled code calls for a loop whose forks stay running until it ends (README "Join rules"). The loop
// writes a log as it goes: each pending fork, and each fork it pushed into an array (logPush) or stored into an
// element (logStore), in the order the sequential program would have made those calls. At the end, joinLoop joins
// every entry in that order; if one failed, the sequential loop would have stopped there, so the arrays are put
// back as it would have left them (pushes from that entry on are cut off, stores get back what the element held)
// and that first failure is thrown once every fork has finished. No node: imports: the playground's browser
// runtime uses this same file with its own join.

/** Log entries, by identity: `instanceof` would ask a pending fork's lazy value for its prototype, which joins it. */
const entries = new WeakSet<object>();
const isEntry = (e: unknown): e is Entry => (typeof e === 'object' || typeof e === 'function') && e !== null && entries.has(e);

class Entry {
  constructor(
    readonly target: Record<PropertyKey, unknown>,
    readonly key: PropertyKey,
    readonly value: unknown,
    readonly pushed: boolean,
    readonly had = false,
    readonly old: unknown = undefined,
  ) {
    entries.add(this);
  }

  /** The element still holds the running fork (the loop did not overwrite it): give it the value. */
  settle(value: unknown): void {
    if (this.target[this.key] === this.value) this.target[this.key] = value;
  }

  /** Puts the element back as it was before this push or store (an earlier fork there: its value, if it had one). */
  undo(values: Map<unknown, unknown>): void {
    if (this.pushed) {
      const xs = this.target as unknown as unknown[];
      if (xs.length > (this.key as number)) xs.length = this.key as number;
    } else if (this.had) this.target[this.key] = values.has(this.old) ? values.get(this.old) : this.old;
    else delete this.target[this.key];
  }
}

/** `xs.push(v)` in a deferred loop: `xs.push(logPush(log, xs, v))`. Returns v. */
export function logPush<T>(log: unknown[], xs: unknown[], value: T): T {
  log.push(new Entry(xs as unknown as Record<PropertyKey, unknown>, xs.length, value, true));
  return value;
}

/** `o[k] = v` in a deferred loop: `o[k] = logStore(log, o, k, v)` (k evaluated once). Returns v. */
export function logStore<T>(log: unknown[], target: object, key: PropertyKey, value: T): T {
  const o = target as Record<PropertyKey, unknown>;
  log.push(new Entry(o, key, value, false, key in o, o[key]));
  return value;
}

function rollBack(log: unknown[], from: number, values: Map<unknown, unknown>): void {
  for (let i = log.length - 1; i >= from; i--) {
    const e = log[i];
    if (isEntry(e)) e.undo(values);
  }
}

export function makeLoopJoins(join: (x: unknown) => unknown): {
  joinLoop: (log: unknown[]) => void;
  joinLoopAsync: (log: unknown[]) => Promise<void>;
} {
  function joinLoop(log: unknown[]): void {
    let failedAt = -1;
    let error: unknown;
    const values = new Map<unknown, unknown>();
    for (let i = 0; i < log.length; i++) {
      const e = log[i];
      try {
        const lazy = isEntry(e) ? e.value : e;
        const value = join(lazy);
        values.set(lazy, value);
        if (failedAt < 0 && isEntry(e)) e.settle(value);
      } catch (err) {
        if (failedAt < 0) { failedAt = i; error = err; }
      }
    }
    if (failedAt >= 0) {
      rollBack(log, failedAt, values);
      throw error;
    }
  }

  /**
   * The same for async functions: waits for every entry without blocking the event loop, then settles the log as
   * joinLoop does (every fork has finished by then, so nothing blocks).
   */
  async function joinLoopAsync(log: unknown[]): Promise<void> {
    for (const e of log) {
      try { await (isEntry(e) ? e.value : e); } catch { /* joinLoop below reports the first failure, in order */ }
    }
    joinLoop(log);
  }

  return { joinLoop, joinLoopAsync };
}
