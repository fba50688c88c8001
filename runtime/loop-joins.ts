// What compiled code calls for a loop whose forks stay running until it ends (README "Join rules"). The loop
// writes a log as it goes, in the order the sequential program would have made the calls: each pending fork
// (`log.push(0, v)`), each fork pushed into an array (logPush) and each fork stored into an element (logStore).
// At the end, joinLoop joins every entry in that order; if one failed, the sequential loop would have stopped
// there, so the arrays are put back as it would have left them (pushes from that entry on are cut off, stores get
// back what the element held) and that first failure is thrown once every fork has finished.
// The log is one flat array of tagged entries: no object per entry (a million-fork loop stays cheap), and nothing
// in it is ever asked for its type (that would join a running fork). No node: imports: the playground's browser
// runtime uses this same file with its own join.

const PENDING = 0; // 0, value
const PUSHED = 1;  // 1, array, index, value
const STORED = 2;  // 2, object, key, had the key, value before, value, array length before (-1: not an array)
const SIZE = [2, 4, 7] as const;
const VALUE = [1, 3, 5] as const;

type Slot = Record<PropertyKey, unknown>;

/** `xs.push(v)` in a deferred loop: `xs.push(logPush(log, xs, v))`. Returns v. */
export function logPush<T>(log: unknown[], xs: unknown[], value: T): T {
  log.push(PUSHED, xs, xs.length, value);
  return value;
}

/** `o[k] = v` in a deferred loop: `o[k] = logStore(log, o, k, v)` (k evaluated once). Returns v. */
export function logStore<T>(log: unknown[], target: object, key: PropertyKey, value: T): T {
  const o = target as Slot;
  log.push(STORED, o, key, key in o, o[key], value, Array.isArray(o) ? o.length : -1);
  return value;
}

/** The fork an entry holds. */
function valueAt(log: unknown[], i: number): unknown {
  return log[i + VALUE[log[i] as 0 | 1 | 2]];
}

/** Puts every element pushed or stored from entry `from` on back as it was (an earlier fork: its value). */
function rollBack(log: unknown[], from: number, values: Map<unknown, unknown>): void {
  const starts: number[] = [];
  for (let i = from; i < log.length; i += SIZE[log[i] as 0 | 1 | 2]) starts.push(i);
  for (let n = starts.length - 1; n >= 0; n--) {
    const i = starts[n]!;
    if (log[i] === PUSHED) {
      const xs = log[i + 1] as unknown[];
      const index = log[i + 2] as number;
      if (xs.length > index) xs.length = index;
    } else if (log[i] === STORED) {
      const o = log[i + 1] as Slot;
      const key = log[i + 2] as PropertyKey;
      const old = log[i + 4];
      if (log[i + 3]) o[key] = values.has(old) ? values.get(old) : old;
      else delete o[key];
      // an array grown by stores (the sequential loop never made those) gets its length back
      const length = log[i + 6] as number;
      if (length >= 0 && (o as unknown as unknown[]).length > length) (o as unknown as unknown[]).length = length;
    }
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
    for (let i = 0; i < log.length; i += SIZE[log[i] as 0 | 1 | 2]) {
      const tag = log[i];
      const lazy = valueAt(log, i);
      try {
        const value = join(lazy);
        if (tag === STORED) values.set(lazy, value);
        if (failedAt >= 0 || tag === PENDING) continue;
        // the element still holds the running fork (the loop did not overwrite it): give it the value
        const target = log[i + 1] as Slot;
        const key = log[i + 2] as PropertyKey;
        if (target[key] === lazy) target[key] = value;
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
    for (let i = 0; i < log.length; i += SIZE[log[i] as 0 | 1 | 2]) {
      try { await valueAt(log, i); } catch { /* joinLoop below reports the first failure, in order */ }
    }
    joinLoop(log);
  }

  return { joinLoop, joinLoopAsync };
}
