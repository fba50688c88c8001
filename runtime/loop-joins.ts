// What compiled code calls at the end of a loop that left forks running (README "Join rules"): every fork is
// joined, and the first failure is thrown after all of them, once the loop's arrays hold what the sequential
// program would have left: a pushed array is cut where the failed call's push would have been, and a stored
// element (and every later one) gets back what it held before, as the sequential loop stopped at that call.
// No node: imports: the playground's browser runtime uses the same code with its own join.

/**
 * `pending`: forks whose values nobody stored; `pushed`: arrays the loop pushed forks into; `stores`: flat
 * quadruples (object, key, had the key before, value before) written by `xs[k] = f(x)` in the loop.
 */
export type JoinLoop = (pending: readonly unknown[], pushed: readonly unknown[][], stores: unknown[]) => void;

type Slot = Record<PropertyKey, unknown>;

function restore(stores: unknown[], from: number): void {
  for (let m = stores.length - 4; m >= from; m -= 4) {
    const target = stores[m] as Slot;
    const key = stores[m + 1] as PropertyKey;
    if (stores[m + 2]) target[key] = stores[m + 3];
    else delete target[key];
  }
}

export function makeLoopJoins(join: (x: unknown) => unknown): { joinLoop: JoinLoop; joinLoopAsync: (...a: Parameters<JoinLoop>) => Promise<void> } {
  function joinLoop(pending: readonly unknown[], pushed: readonly unknown[][], stores: unknown[]): void {
    let error: [unknown] | undefined;
    for (const v of pending) {
      try { join(v); } catch (e) { error ??= [e]; }
    }
    for (const xs of pushed) {
      let cut: number | undefined;
      for (let i = 0; i < xs.length; i++) {
        try { xs[i] = join(xs[i]); } catch (e) { error ??= [e]; cut ??= i; }
      }
      if (cut !== undefined) xs.length = cut;
    }
    let cut: number | undefined;
    for (let j = 0; j < stores.length; j += 4) {
      const target = stores[j] as Slot;
      const key = stores[j + 1] as PropertyKey;
      try { target[key] = join(target[key]); } catch (e) { error ??= [e]; cut ??= j; }
    }
    if (cut !== undefined) restore(stores, cut);
    if (error) throw error[0];
  }

  /** The same for async functions: awaits instead of blocking, so the event loop keeps running. */
  async function joinLoopAsync(pending: readonly unknown[], pushed: readonly unknown[][], stores: unknown[]): Promise<void> {
    let error: [unknown] | undefined;
    for (const v of pending) {
      try { await v; } catch (e) { error ??= [e]; }
    }
    for (const xs of pushed) {
      let cut: number | undefined;
      for (let i = 0; i < xs.length; i++) {
        try { xs[i] = await xs[i]; } catch (e) { error ??= [e]; cut ??= i; }
      }
      if (cut !== undefined) xs.length = cut;
    }
    let cut: number | undefined;
    for (let j = 0; j < stores.length; j += 4) {
      const target = stores[j] as Slot;
      const key = stores[j + 1] as PropertyKey;
      try { target[key] = await target[key]; } catch (e) { error ??= [e]; cut ??= j; }
    }
    if (cut !== undefined) restore(stores, cut);
    if (error) throw error[0];
  }

  return { joinLoop, joinLoopAsync };
}
