// The shared-memory scheduler: parallel speed-up with synchronous joins, helping, cascading forks, lazy task
// creation, big payloads, Task API, cancellation and crash isolation.
import { beforeAll, describe, expect, it } from 'vitest';
import { configure, fork, join, submit, WorkerDiedError, TaskCancelledError } from 'tsfork';
import { fixture, runNode, warmUp } from './helpers.js';

configure({ cpuWorkers: 2 });

const spin = function spin(ms: number) {
  const end = performance.now() + ms;
  let x = 0;
  while (performance.now() < end) x++;
  return ms;
};

async function untilStarted(task: { state: string }) {
  while (task.state === 'queued') await new Promise((r) => setTimeout(r, 2));
}

describe('scheduler', () => {
  beforeAll(() => warmUp());

  it('8 forks of a 200 ms task joined synchronously in a loop take under 0.65x the sequential time', () => {
    const t0 = performance.now();
    const results = [];
    for (let i = 0; i < 8; i++) results.push(fork(spin, 200));
    let total = 0;
    for (const r of results) total += join(r);
    const elapsed = performance.now() - t0;
    expect(total).toBe(1600);
    expect(elapsed).toBeLessThan(0.65 * 1600);
  });

  it('forks nested three deep finish with a pool of one worker', () => {
    const r = runNode(fixture('nested-one-worker.mjs'), [], { TSFORK_CPU_WORKERS: '1' });
    expect(r.stderr).toBe('');
    const ids = JSON.parse(r.stdout) as number[];
    expect(ids.slice(0, 3).every((id) => id > 0)).toBe(true); // every level ran on the worker
    expect(ids[3]).toBe(7);
  });

  it('recursive forks do not drown in task overhead (lazy task creation)', async () => {
    const { fib } = await import(fixture('nested.mjs'));
    const t0 = performance.now();
    expect(join(fork(fib, 25))).toBe(75025);
    // ~240,000 forks; each one through the queue would take many seconds
    expect(performance.now() - t0).toBeLessThan(5000);
  });

  it('carry big arguments and results (beyond a slot) and structured values', async () => {
    const big = 'x'.repeat(200_000);
    const echo = function echo<T>(v: T) { return v; };
    expect(join(fork(echo, big)).length).toBe(200_000);
    const m = new Map([[1, { d: new Date(5) }]]);
    expect(await fork(echo, m)).toEqual(m);
    const bytes = new Uint8Array(100_000).fill(7);
    expect((await fork(echo, bytes))[99_999]).toBe(7);
    expect(join(fork(echo, { a: [1, 2.5, -0, NaN, 'é', null, undefined, true] }))).toEqual({ a: [1, 2.5, -0, NaN, 'é', null, undefined, true] });
    expect(join(fork(function bigint(n: bigint) { return n * 2n; }, 21n))).toBe(42n);
  });

  it('submit returns a Task: state, promise, join', async () => {
    const t = submit(spin, [50]);
    expect(['queued', 'running']).toContain(t.state);
    expect(await t.promise).toBe(50);
    expect(t.state).toBe('done');
    expect(t.join()).toBe(50);
    const f = submit(function fails() { throw new Error('x'); }, []);
    await expect(f.promise).rejects.toThrow('x');
    expect(f.state).toBe('failed');
    expect(() => submit(spin, 5 as any)).toThrow('args must be an array');
  });

  it('cancel: a queued task is removed; a running task\'s worker is terminated and replaced', async () => {
    const blockers = [submit(spin, [300]), submit(spin, [300])];
    await Promise.all(blockers.map(untilStarted));
    const queued = submit(spin, [10]);
    queued.cancel('not needed');
    await expect(queued.promise).rejects.toThrow(TaskCancelledError);
    expect(queued.state).toBe('cancelled');
    const long = submit(spin, [10_000]);
    await untilStarted(long);
    const t0 = performance.now();
    long.cancel();
    await expect(long.promise).rejects.toThrow(/was cancelled; it did not stop by itself \(a running synchronous call cannot\), so its worker was terminated and replaced/);
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(await fork(spin, 5)).toBe(5); // the pool still works
    const ac = new AbortController();
    const viaSignal = submit(spin, [10_000], { signal: ac.signal });
    await untilStarted(viaSignal);
    ac.abort();
    await expect(viaSignal.promise).rejects.toThrow(TaskCancelledError);
  });

  it('a task that ends its worker (process.exit, an uncaught throw) fails only itself', async () => {
    const dies = submit(function exits() { process.exit(3); }, []);
    const others = Array.from({ length: 6 }, (_, i) => submit(function other(x: number) { return x * 2; }, [i]));
    await untilStarted(dies);
    await expect(dies.promise).rejects.toThrow(WorkerDiedError);
    await expect(dies.promise).rejects.toThrow(/exits called process.exit\(3\) on a pool worker; a forked call ends only itself/);
    expect(await Promise.all(others.map((t) => t.promise))).toEqual([0, 2, 4, 6, 8, 10]);
    const throwsLater = submit(function throwsLater() {
      setTimeout(() => { throw new Error('uncaught in worker'); }, 1);
      return new Promise(() => {});
    }, []);
    await expect(throwsLater.promise).rejects.toThrow(/^uncaught in worker$/);
    expect(join(fork(spin, 1))).toBe(1);
  });

  it('a worker out of memory fails its task; the program goes on', () => {
    const r = runNode(fixture('oom.mjs'), [], { TSFORK_CPU_WORKERS: '1', TSFORK_WORKER_HEAP_MB: '64' });
    expect(r.stdout).toMatch(/WorkerDiedError the worker running hog died: .*memory/);
    expect(r.stdout).toMatch(/after 42/);
    expect(r.code).toBe(0);
  });
});
