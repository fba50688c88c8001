// The end of a compiled loop (joinLoop): joins in the sequential call order; on a failure, every array is put back
// as the sequential loop, stopped at that call, would have left it, and the earliest failure is thrown.
import { describe, expect, it } from 'vitest';
import { fork, joinLoop, joinLoopAsync, logPush, logStore } from 'tsfork';

function half(n: number): number {
  if (n % 2) throw new RangeError(`odd: ${n}`);
  return n / 2;
}

describe('joinLoop', () => {
  it('fills pushed arrays and stored elements with the values', () => {
    const xs: number[] = [9];
    const byKey: Record<string, number> = {};
    const log: unknown[] = [];
    for (const n of [2, 4, 6]) {
      xs.push(logPush(log, xs, fork(half, n)));
      byKey[`k${n}`] = logStore(log, byKey, `k${n}`, fork(half, n * 2));
    }
    joinLoop(log);
    expect(xs).toStrictEqual([9, 1, 2, 3]);
    expect(byKey).toStrictEqual({ k2: 2, k4: 4, k6: 6 });
  });

  it('throws the failure of the earliest call, with every array cut or restored at that call', () => {
    const a: number[] = [];
    const b: number[] = [];
    const stored = [10, 10, 10];
    const log: unknown[] = [];
    for (let i = 0; i < 3; i++) {
      a.push(logPush(log, a, fork(half, i === 2 ? 3 : 2)));    // fails in iteration 2
      b.push(logPush(log, b, fork(half, i === 1 ? 5 : 4)));    // fails in iteration 1: this one wins
      stored[i] = logStore(log, stored, i, fork(half, 8));
    }
    expect(() => joinLoop(log)).toThrow('odd: 5');
    expect(a).toStrictEqual([1, 1]);   // the iteration-1 push of a came before the failing call
    expect(b).toStrictEqual([2]);
    expect(stored).toStrictEqual([4, 10, 10]);
  });

  it('a key stored over and over: each stored fork is joined, and a failure restores the value before it', () => {
    const last = [7];
    const log: unknown[] = [];
    for (const n of [2, 4, 5]) last[0] = logStore(log, last, 0, fork(half, n));
    expect(() => joinLoop(log)).toThrow('odd: 5');
    expect(last).toStrictEqual([2]); // what the second store left there, as a value
    const first = [7];
    const log2: unknown[] = [];
    for (const n of [1, 4]) first[0] = logStore(log2, first, 0, fork(half, n));
    expect(() => joinLoop(log2)).toThrow('odd: 1');
    expect(first).toStrictEqual([7]);
  });

  it('a pending fork that failed first wins over later pushes, and a new key is removed again', async () => {
    const xs: number[] = [];
    const o: Record<string, number> = { a: 0 };
    const log: unknown[] = [];
    log.push(0, fork(half, 3));
    xs.push(logPush(log, xs, fork(half, 2)));
    o.b = logStore(log, o, 'b', fork(half, 2));
    await expect(joinLoopAsync(log)).rejects.toThrow('odd: 3');
    expect(xs).toStrictEqual([]);
    expect(o).toStrictEqual({ a: 0 });
  });

  it('an array grown by stores gets its length back (no holes where the sequential loop never stored)', () => {
    const xs: number[] = [];
    const log: unknown[] = [];
    for (let i = 0; i < 5; i++) xs[i] = logStore(log, xs, i, fork(half, i === 2 ? 3 : 2));
    expect(() => joinLoop(log)).toThrow('odd: 3');
    expect(xs).toStrictEqual([1, 1]);
  });

  it('a log of 200,000 pushes is written and joined within the test timeout (the first version, an object and a WeakSet entry per fork, took seconds)', () => {
    const xs: number[] = [];
    const log: unknown[] = [];
    for (let i = 0; i < 200_000; i++) xs.push(logPush(log, xs, i));
    joinLoop(log);
    expect(xs.length).toBe(200_000);
    expect(log.length).toBe(800_000);
  });
});
