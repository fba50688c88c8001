// maxWorkers bounds how many of a call's tasks run at once, on both executors, in every form.
// Each task reports its own start and end time (Date.now(): the one clock threads and child processes share);
// the most intervals open at one instant is the call's real concurrency.
import { describe, expect, it } from 'vitest';
import * as parallel from 'tsfork';
import { meetSpan, meeting, mostAtOnce, type Span } from './fixtures/overlap.js';

/** Busy for `ms` (a CPU task: it holds its worker the whole time). Self-contained: travels as source. */
function busySpan(ms: number): Span {
  const start = Date.now();
  while (Date.now() < start + ms);
  return { start, end: Date.now() };
}

/** Waits `ms` without holding a thread: on the I/O pool many of these run at once on one worker. */
const waitSpan = parallel.ioBound(async function waitSpan(ms: number): Promise<Span> {
  const start = Date.now();
  await new Promise((resolve) => setTimeout(resolve, ms));
  return { start, end: Date.now() };
});

const TASK_MS = 80;
const items = (n: number) => Array.from({ length: n }, () => TASK_MS);

describe('mostAtOnce', () => {
  it('counts overlapping spans, not touching ones', () => {
    expect(mostAtOnce([{ start: 0, end: 10 }, { start: 10, end: 20 }])).toBe(1);
    expect(mostAtOnce([{ start: 0, end: 10 }, { start: 5, end: 20 }, { start: 6, end: 7 }])).toBe(3);
  });
});

describe.each([
  ['thread', parallel.thread],
  ['process', parallel.process],
] as const)('maxWorkers on the %s executor', (name, executor) => {
  it('without it, tasks do overlap (the measure can see overlap)', async () => {
    // tasks that wait for each other: overlap is certain, however busy the machine
    const spans = await executor.map(meetSpan, meeting(6), { chunkSize: 1 });
    expect(mostAtOnce(spans)).toBeGreaterThanOrEqual(2);
  });

  it('maxWorkers: 1 runs map tasks one after another', async () => {
    const spans = await executor.map(busySpan, items(6), { chunkSize: 1, maxWorkers: 1 });
    expect(spans).toHaveLength(6);
    expect(mostAtOnce(spans)).toBe(1);
  });

  it('maxWorkers: 1 with the measured chunk size too', async () => {
    const spans = await executor.map(busySpan, items(6), { maxWorkers: 1 });
    expect(mostAtOnce(spans)).toBe(1);
  });

  it('maxWorkers: 1 in mapSync', () => {
    const spans = executor.mapSync(busySpan, items(5), { chunkSize: 1, maxWorkers: 1 });
    expect(mostAtOnce(spans)).toBe(1);
  });

  it('maxWorkers: 1 in par and in a started job', async () => {
    const tasks: Record<string, parallel.ParTask> = {};
    items(4).forEach((ms, i) => { tasks[`t${i}`] = [busySpan, ms]; });
    const byPar = await executor.par(tasks, { maxWorkers: 1 });
    expect(mostAtOnce(Object.values(byPar) as Span[])).toBe(1);
    const job = parallel.asyncMap(busySpan, items(4), { executor: name, chunkSize: 1, maxWorkers: 1 }).start();
    expect(mostAtOnce(await job.results())).toBe(1);
  });
});

describe('maxWorkers above 1 (thread executor, I/O pool: otherwise every task would run at once)', () => {
  it('without it, all of them wait together', async () => {
    const spans = await parallel.map(waitSpan, items(6), { chunkSize: 1 });
    expect(mostAtOnce(spans)).toBeGreaterThanOrEqual(3);
  });

  it('maxWorkers: 3 keeps at most three running, and runs more than one at once', async () => {
    const spans = await parallel.map(waitSpan, items(9), { chunkSize: 1, maxWorkers: 3 });
    expect(mostAtOnce(spans)).toBeLessThanOrEqual(3);
    expect(mostAtOnce(spans)).toBeGreaterThanOrEqual(2);
  });
});
