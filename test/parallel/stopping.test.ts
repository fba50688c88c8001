// Timeout, AbortSignal and the default error mode stop tasks for real: workers are ended, nothing keeps running.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as parallel from 'tsfork';
import { tasks } from './fixtures/load.js';

const { spin, spinWritingPid, spinWriting, failOn } = tasks;

const tempFile = () => join(mkdtempSync(join(tmpdir(), 'tsfork-')), 'count');
const count = (file: string) => { try { return Number(readFileSync(file, 'utf8')); } catch { return 0; } };

function alive(pid: number): boolean {
  try { process.kill(pid, 0); return true; } catch { return false; }
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('timeout (bounds the whole call)', () => {
  it('process: a 10 s task with timeout 300 rejects long before 10 s and its child process is gone', async () => {
    await parallel.process.map(spin, [1, 1], { chunkSize: 1 }); // children up and the fixture loaded
    const pidFile = join(mkdtempSync(join(tmpdir(), 'tsfork-')), 'pid');
    const t0 = Date.now();
    const err = await parallel.process.map(spinWritingPid, [[10_000, pidFile]], { timeout: 300 }).catch((e: unknown) => e);
    expect(Date.now() - t0).toBeLessThan(6000); // the task runs 10 s: generous for a busy machine
    expect(err).toBeInstanceOf(parallel.TimeoutError);
    expect((err as Error).message).toMatch(/process.map: timed out after 300 ms/);
    expect(alive(Number(readFileSync(pidFile, 'utf8')))).toBe(false);
  });

  it('thread: a 10 s task with timeout 300 rejects long before 10 s and its worker stops', async () => {
    await parallel.thread.map(spin, [1, 1, 1], { chunkSize: 1 }); // workers up and the fixture loaded
    const file = tempFile();
    const t0 = Date.now();
    const err = await parallel.thread.map(spinWriting, [[10_000, file]], { timeout: 300 }).catch((e: unknown) => e);
    expect(Date.now() - t0).toBeLessThan(6000); // the task runs 10 s: generous for a busy machine
    expect(err).toBeInstanceOf(parallel.TimeoutError);
    const before = count(file);
    expect(before).toBeGreaterThan(0); // it did run
    await sleep(200);
    expect(count(file)).toBe(before); // and does not any more
  });

  it('silent: finished tasks keep their values, stopped ones are FailedTask(TimeoutError)', async () => {
    const r = await parallel.process.map(spin, [10, 10_000], { timeout: 3000, silent: true, chunkSize: 1 });
    expect(r[0]).toBe(10);
    expect(r[1]).toBeInstanceOf(parallel.FailedTask);
    expect((r[1] as parallel.FailedTask).error).toBeInstanceOf(parallel.TimeoutError);
    expect(r.replaceFailed(null)).toEqual([10, null]);
  });
});

describe.each(['thread', 'process'] as const)('AbortSignal on the %s executor', (executor) => {
  it('cancels everything pending and running; the call rejects with signal.reason', async () => {
    await parallel.map(spin, [1, 1, 1], { executor, chunkSize: 1 }); // workers up and the fixture loaded
    const file = tempFile();
    const ac = new AbortController();
    let t0 = Date.now();
    // abort once the tasks are running (they write the file), however slow the machine is today
    (async () => {
      while (count(file) === 0) await sleep(10);
      t0 = Date.now();
      ac.abort(new Error('user cancelled'));
    })();
    const args = [[10_000, file], [10_000, file], [10_000, file]];
    const err = await parallel.map(spinWriting, args, { executor, signal: ac.signal, chunkSize: 1 }).catch((e: unknown) => e);
    expect((err as Error).message).toBe('user cancelled');
    expect(Date.now() - t0).toBeLessThan(6000); // the task runs 10 s: generous for a busy machine
    const before = count(file);
    expect(before).toBeGreaterThan(0);
    await sleep(200);
    expect(count(file)).toBe(before);
  });

  it('an already aborted signal rejects at once', async () => {
    const err = await parallel.map(spin, [10_000], { executor, signal: AbortSignal.abort(new Error('no')) }).catch((e: unknown) => e);
    expect((err as Error).message).toBe('no');
  });
});

describe.each(['thread', 'process'] as const)('default error mode on the %s executor', (executor) => {
  it('the first failure in input order rejects, even when a later item failed sooner', async () => {
    // item 0 fails after 300 ms, item 1 fails after 20 ms, item 2 would run 10 s and is stopped
    const file = tempFile();
    const t0 = Date.now();
    const err = await parallel.map(failOn, [[300, 300], [20, 20], [10_000, 0, file]], { executor, chunkSize: 1 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RangeError);
    expect((err as Error).message).toBe('bad item 300');
    expect(Date.now() - t0).toBeLessThan(8000); // item 2 (10 s) was stopped, however busy the machine
    // The 10 s item, whether it had started yet or not, is stopped with the call: its file does not grow.
    const before = count(file);
    await sleep(300);
    expect(count(file)).toBe(before);
  });
});
