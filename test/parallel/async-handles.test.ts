// asyncMap / asyncPar: handles that start on start(), give results in input order, or [key, value] pairs
// in completion order with `for await`, and stop their tasks on shutdown / `await using`.
import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as parallel from 'tsfork';
import { tasks } from './fixtures/load.js';

const { sleepThen, spin, spinWritingPid, downloadAndStore, getPriceBitcoin, getPriceEther } = tasks;

function alive(pid: number): boolean {
  try { process.kill(pid, 0); return true; } catch { return false; }
}

describe('asyncMap / asyncPar', () => {
  it('does not start until start(); results() before start rejects', async () => {
    const job = parallel.asyncMap(downloadAndStore, ['https://python.org']);
    expect(job.status).toBe('not-started');
    await expect(job.results()).rejects.toThrow(/results\(\) before start\(\)/);
    expect(job.start()).toBe(job);
    expect(job.status).toBe('started');
    expect(await job.results()).toEqual(['python.org results']);
    expect(job.status).toBe('done');
    expect(() => job.start()).toThrow(/start\(\) called twice/);
  });

  it('asyncPar with keys', async () => {
    const job = parallel.asyncPar({ btc: [getPriceBitcoin, 'bitstamp'], eth: parallel.future(getPriceEther, 'bitfinex') }).start();
    expect(await job.results()).toEqual({ btc: 'btc@bitstamp', eth: 'eth@bitfinex' });
  });

  it.each(['thread', 'process'] as const)('for await gives [key, value] in completion order (%s)', async (executor) => {
    await parallel.map(spin, [1, 1], { executor, chunkSize: 1 }); // workers up
    const job = parallel.asyncMap(sleepThen, { slow: [1000, 'S'], fast: [10, 'F'] }, { executor, chunkSize: 1 }).start();
    const seen: [string, unknown][] = [];
    for await (const pair of job) seen.push(pair);
    expect(seen).toEqual([['fast', 'F'], ['slow', 'S']]);
    expect(await job.results()).toEqual({ slow: 'S', fast: 'F' });
  });

  it('for await throws the call\'s error in default mode', async () => {
    const job = parallel.asyncMap(tasks.add, [[1, 2], ['a', 1]]).start();
    const read = async () => { for await (const _ of job) { /* drain */ } };
    await expect(read()).rejects.toThrow(TypeError);
    expect(job.status).toBe('failed');
  });

  it('shutdown() stops running tasks and waits for them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsfork-'));
    const pidFiles = [join(dir, 'a'), join(dir, 'b')];
    const job = parallel.process.asyncMap(spinWritingPid, pidFiles.map((f) => [10_000, f]), { chunkSize: 1 }).start();
    while (!pidFiles.every((f) => existsSync(f) && readFileSync(f, 'utf8') !== '')) await new Promise((r) => setTimeout(r, 10));
    const pids = pidFiles.map((f) => Number(readFileSync(f, 'utf8')));
    expect(pids.every(alive)).toBe(true);
    const t0 = Date.now();
    await job.shutdown();
    expect(Date.now() - t0).toBeLessThan(6000); // the tasks run 10 s: generous for a busy machine
    // When shutdown() resolves, the child processes that ran the tasks are gone.
    expect(pids.filter(alive)).toEqual([]);
    await expect(job.results()).rejects.toBeInstanceOf(parallel.ShutdownError);
    expect(job.status).toBe('failed');
  });

  it('Symbol.asyncDispose shuts down (what `await using job = asyncMap(...).start()` calls)', async () => {
    let job;
    {
      job = parallel.process.asyncMap(spin, [10_000], { chunkSize: 1 }).start();
      await job[Symbol.asyncDispose]();
    }
    expect(job.status).toBe('failed');
    await expect(job.results()).rejects.toThrow(/shut down before it finished/);
  });
});
