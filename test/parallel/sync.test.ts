// mapSync / parSync: same results as map / par, blocking the calling thread while the pool works,
// on both executors (the process executor's replies reach a blocked thread through its bridge thread).
import { describe, expect, it } from 'vitest';
import * as parallel from 'tsfork';
import { meetSpan, meeting, mostAtOnce } from './fixtures/overlap.js';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tasks } from './fixtures/load.js';

const { add, spin, spinWritingPid, where, checkStock, InventoryError, downloadAndStore, getPriceBitcoin } = tasks;

function alive(pid: number): boolean {
  try { process.kill(pid, 0); return true; } catch { return false; }
}

describe('mapSync / parSync', () => {
  it('give the same results as map / par', () => {
    expect(parallel.mapSync(downloadAndStore, ['https://python.org'])).toEqual(['python.org results']);
    expect(parallel.mapSync(add, { a: [1, 2] })).toEqual({ a: 3 });
    expect(parallel.parSync({ btc: [getPriceBitcoin, 'bitstamp'] })).toEqual({ btc: 'btc@bitstamp' });
    expect(parallel.thread.mapSync(add, [[1, 1]])).toEqual([2]);
  });

  it('throw the first failure, or give FailedTask with silent', () => {
    expect(() => parallel.mapSync(add, [[1, 2], ['a', 1]])).toThrow(TypeError);
    const r = parallel.mapSync(add, [[1, 2], ['a', 1]], { silent: true });
    expect(r.failures).toBe(true);
    expect(r.replaceFailed(0)).toEqual([3, 0]);
  });

  it('keep the pool busy while blocking (tasks that wait for each other overlap)', () => {
    expect(mostAtOnce(parallel.mapSync(meetSpan, meeting(4), { chunkSize: 1 }))).toBeGreaterThanOrEqual(2);
  });

  it('explain what a blocked thread cannot do', () => {
    expect(() => parallel.mapSync(add, [[1, 2]], { timeout: 10 })).toThrow(/mapSync: timeout on the thread executor needs the event loop/);
    expect(() => parallel.process.mapSync(add, [[1, 2]], { signal: new AbortController().signal })).toThrow(/process.mapSync: signal needs the event loop/);
  });
});

describe('mapSync / parSync on the process executor', () => {
  it('give the same results as process.map / process.par', async () => {
    const inputs = { a: [1, 2], b: [3, 4], c: [5, 6] };
    expect(parallel.process.mapSync(add, inputs)).toEqual(await parallel.process.map(add, inputs));
    expect(parallel.mapSync(add, [[1, 1], [2, 2]], { executor: parallel.PROCESS_EXECUTOR })).toEqual([2, 4]);
    expect(parallel.process.parSync({ btc: [getPriceBitcoin, 'bitstamp'], s: parallel.future(add, 1, 2) })).toEqual({ btc: 'btc@bitstamp', s: 3 });
    expect(parallel.parSync([[add, 2, 3]], { executor: 'process' })).toEqual([5]);
    const many = Array.from({ length: 5000 }, (_, i) => [i, 1]);
    expect(parallel.process.mapSync(add, many)).toEqual(many.map(([a]) => a! + 1));
  });

  it('run in other processes, decorated functions too', () => {
    const seen = parallel.process.mapSync(where, [1, 2, 3, 4], { chunkSize: 1 });
    for (const s of seen) expect(s.pid).not.toBe(process.pid);
    const located = parallel.decorate(where);
    expect(located.process.mapSync([1, 2]).every((s: any) => s.pid !== process.pid)).toBe(true);
    expect(parallel.decorate(where, { executor: 'process' }).mapSync([1])[0].pid).not.toBe(process.pid);
  });

  it('rethrow a failure with its class, or give FailedTask with silent', () => {
    let err: any;
    try { parallel.process.mapSync(checkStock, [1, -3]); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(InventoryError);
    expect(err.sku).toBe('sku-3');
    const r = parallel.process.mapSync(checkStock, [1, -3], { silent: true });
    expect(r.failures).toBe(true);
    expect((r[1] as parallel.FailedTask).error).toBeInstanceOf(InventoryError);
    expect(r.replaceFailed(0)).toEqual([1, 0]);
  });

  it('keep both processes busy while blocking (tasks that wait for each other overlap)', () => {
    expect(mostAtOnce(parallel.process.mapSync(meetSpan, meeting(4), { chunkSize: 1 }))).toBeGreaterThanOrEqual(2);
  });

  it('timeout: a 10 s task with timeout 300 throws well under 2 s, its child process already gone', () => {
    parallel.process.mapSync(spin, [1, 1], { chunkSize: 1 }); // children up and the fixture loaded
    const pidFile = join(mkdtempSync(join(tmpdir(), 'tsfork-')), 'pid');
    const t0 = Date.now();
    let err: unknown;
    try { parallel.process.mapSync(spinWritingPid, [[10_000, pidFile]], { timeout: 300 }); } catch (e) { err = e; }
    expect(Date.now() - t0).toBeLessThan(6000); // well before the task's own 10 s, however busy the machine
    expect(err).toBeInstanceOf(parallel.TimeoutError);
    expect((err as Error).message).toMatch(/process.mapSync: timed out after 300 ms/);
    expect(alive(Number(readFileSync(pidFile, 'utf8')))).toBe(false);
    // the pool replaced the child and still works
    expect(parallel.process.mapSync(add, [[1, 2]])).toEqual([3]);
  });

  it('timeout with silent: finished values kept, stopped tasks are FailedTask(TimeoutError)', () => {
    const r = parallel.process.mapSync(spin, [10, 10_000], { timeout: 3000, silent: true, chunkSize: 1 });
    expect(r[0]).toBe(10);
    expect((r[1] as parallel.FailedTask).error).toBeInstanceOf(parallel.TimeoutError);
  });

  it('idle child processes and the bridge thread do not keep the program alive', () => {
    const t0 = Date.now();
    const out = execFileSync(process.execPath, [fileURLToPath(new URL('./fixtures/idle-exit.mjs', import.meta.url))], { encoding: 'utf8', timeout: 20_000 });
    expect(out.trim()).toBe('true');
    expect(Date.now() - t0).toBeLessThan(15_000);
  });

  it('work in a program run with node --input-type=module -e (children do not rerun the inline code)', () => {
    const code = `import * as parallel from 'tsfork';
      console.log(JSON.stringify(parallel.process.mapSync((x) => [x * 2, process.pid], [1, 2]).map(([v, pid]) => [v, pid !== process.pid])));`;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', code], { cwd: fileURLToPath(new URL('../..', import.meta.url)), encoding: 'utf8', timeout: 20_000 });
    expect(JSON.parse(out)).toEqual([[2, true], [4, true]]);
  });

  it('start afresh after terminateProcessPool()', async () => {
    const before = parallel.process.mapSync(where, [1])[0].pid;
    await parallel.terminateProcessPool();
    expect(alive(before)).toBe(false);
    const after = parallel.process.mapSync(where, [1])[0].pid;
    expect(after).not.toBe(before);
    expect(after).not.toBe(process.pid);
  });

  it('sync and async calls share the one process pool', async () => {
    const pending = parallel.process.map(where, [1, 2], { chunkSize: 1 });
    const blocking = parallel.process.mapSync(where, [1, 2], { chunkSize: 1 });
    const pids = new Set([...(await pending), ...blocking].map((s: any) => s.pid));
    expect(pids.has(process.pid)).toBe(false);
    expect(pids.size).toBeLessThanOrEqual(availableParallelism());
  });
});
