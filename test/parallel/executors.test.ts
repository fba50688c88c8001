// Both executors: tasks really run elsewhere (other processes / other threads), in parallel,
// with decorated functions too (the Python library fails there with PicklingError).
import { describe, expect, it } from 'vitest';
import { threadId } from 'node:worker_threads';
import * as parallel from 'tsfork';
import { tasks } from './fixtures/load.js';
import { meetSpan, meeting, mostAtOnce } from './fixtures/overlap.js';

const { where, spin, checkStock, InventoryError, downloadAndStore } = tasks;

describe('process executor', () => {
  it('runs tasks in other processes', async () => {
    // Two items of 300 ms each on a pool of two: both children take one, so two distinct pids, neither ours.
    await parallel.process.map(spin, [1, 1], { chunkSize: 1 }); // children up
    const seen = await parallel.process.map((ms: number) => {
      const end = Date.now() + ms;
      while (Date.now() < end);
      return process.pid;
    }, [300, 300], { chunkSize: 1, maxWorkers: 2 });
    for (const pid of seen) expect(pid).not.toBe(process.pid);
    expect(new Set(seen).size).toBe(2);
    const where4 = await parallel.process.map(where, [1, 2, 3, 4], { chunkSize: 1 });
    for (const s of where4) expect(s.pid).not.toBe(process.pid);
  });

  it('runs self-contained functions sent as source', async () => {
    const pids = await parallel.map(() => process.pid, [0, 1], { executor: parallel.PROCESS_EXECUTOR });
    expect(pids.every((p: number) => p !== process.pid)).toBe(true);
  });

  it('par on processes', async () => {
    const r = await parallel.process.par({ a: [where], b: parallel.future(downloadAndStore, 'https://a.example') });
    expect(r.a.pid).not.toBe(process.pid);
    expect(r.b).toBe('a.example results');
  });

  it('decorated functions work on the process executor', async () => {
    const located = parallel.decorate(where);
    const seen = await located.process.map([1, 2]);
    expect(seen.every((s: any) => s.pid !== process.pid)).toBe(true);
    expect(located().pid).toBe(process.pid); // still callable normally, here
    const viaOption = await parallel.decorate(where, { executor: 'process' }).map([1]);
    expect(viaOption[0].pid).not.toBe(process.pid);
  });

  it('errors come back with their class', async () => {
    const err: any = await parallel.process.map(checkStock, [-3]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InventoryError);
    expect(err.sku).toBe('sku-3');
  });

  it('runs in parallel (tasks that wait for each other overlap)', async () => {
    expect(mostAtOnce(await parallel.process.map(meetSpan, meeting(4), { chunkSize: 1 }))).toBeGreaterThanOrEqual(2);
  });
});

describe('thread executor', () => {
  it('runs tasks on worker threads of this process', async () => {
    const seen = await parallel.thread.map(where, [1, 2, 3, 4], { chunkSize: 1 });
    for (const s of seen) {
      expect(s.pid).toBe(process.pid);
      expect(s.threadId).not.toBe(threadId);
    }
  });

  it('decorated functions work on the thread executor', async () => {
    const seen = await parallel.decorate(where).thread.map([1, 2]);
    expect(seen.every((s: any) => s.threadId !== threadId)).toBe(true);
  });

  it('runs in parallel (tasks that wait for each other overlap)', async () => {
    expect(mostAtOnce(await parallel.thread.map(meetSpan, meeting(4), { chunkSize: 1 }))).toBeGreaterThanOrEqual(2);
  });
});
