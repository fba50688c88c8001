// The I/O pool: async functions run concurrently when awaited; joined synchronously they run to completion on a
// worker's event loop. Awaiting never runs work on this thread.
import { beforeAll, describe, expect, it } from 'vitest';
import { fork, join, ioBound } from 'tsfork';
import { warmUp } from './helpers.js';

const sleep = ioBound(async function sleep(ms: number) {
  await new Promise((r) => setTimeout(r, ms));
  return process.getBuiltinModule('node:worker_threads').threadId;
});

describe('io pool and async functions', () => {
  beforeAll(async () => { await warmUp(); await fork(sleep, 1); });

  it('awaited io forks run concurrently on workers', async () => {
    const t0 = performance.now();
    const ids = await Promise.all(Array.from({ length: 40 }, () => fork(sleep, 100)));
    expect(performance.now() - t0).toBeLessThan(1500); // 40 x 100 ms one after another would be 4 s
    expect(ids.every((id) => id > 0)).toBe(true);
  });

  it('a forked async function joined synchronously runs to completion on a worker', () => {
    expect(join(fork(sleep, 30))).toBeGreaterThan(0);
    const cpuAsync = async function cpuAsync(x: number) { await new Promise((r) => setTimeout(r, 10)); return x + 1; };
    expect(join(fork(cpuAsync, 1))).toBe(2);
  });

  it('an awaited fork leaves the event loop free', async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 5);
    const busy = function busy(ms: number) { const end = Date.now() + ms; while (Date.now() < end); return ms; };
    await fork(busy, 200);
    clearInterval(timer);
    expect(ticks).toBeGreaterThan(10);
  });
});
