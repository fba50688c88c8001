// mapSync / parSync: same results as map / par, blocking the calling thread while the pool works.
import { describe, expect, it } from 'vitest';
import * as parallel from 'tsfork';
import { tasks } from './fixtures/load.js';

const { add, spin, downloadAndStore, getPriceBitcoin } = tasks;

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

  it('keep the pool busy while blocking (4 x 300 ms well under 1200 ms)', () => {
    parallel.mapSync(spin, [1, 1, 1, 1], { chunkSize: 1 }); // workers up
    const t0 = Date.now();
    expect(parallel.mapSync(spin, [300, 300, 300, 300], { chunkSize: 1 })).toEqual([300, 300, 300, 300]);
    expect(Date.now() - t0).toBeLessThan(1150);
  });

  it('explain what a blocked thread cannot do', () => {
    expect(() => parallel.mapSync(add, [[1, 2]], { timeout: 10 })).toThrow(/mapSync: timeout and signal need the event loop/);
    expect(() => parallel.process.mapSync(add, [[1, 2]])).toThrow(/process.mapSync: the process executor answers through the event loop/);
  });
});
