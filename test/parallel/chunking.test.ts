// Many small items: chunks sized from measured task time (few tasks for a million items), chunkSize
// overriding it, and progress reports.
import { describe, expect, it, vi } from 'vitest';
import * as parallel from 'tsfork';
import { tasks } from './fixtures/load.js';

const { double, spin } = tasks;

describe.each(['thread', 'process'] as const)('chunking on the %s executor', (executor) => {
  it('a million trivial items run in few tasks, results in order', async () => {
    const items = Array.from({ length: 1_000_000 }, (_, i) => i);
    let reports = 0;
    const t0 = Date.now();
    const out = await parallel.map(double, items, { executor, onProgress: () => { reports++; } });
    expect(Date.now() - t0).toBeLessThan(10_000); // generous: minutes without chunks
    expect(out.length).toBe(1_000_000);
    expect(out[0]).toBe(0);
    expect(out[999_999]).toBe(1_999_998);
    expect(out[123_456]).toBe(246_912);
    expect(reports).toBeLessThan(100); // one report per task
  });

  it('chunkSize overrides the measured size', async () => {
    const done: number[] = [];
    const out = await parallel.map(double, Array.from({ length: 100 }, (_, i) => i), {
      executor, chunkSize: 10, onProgress: (d, total) => { expect(total).toBe(100); done.push(d); },
    });
    expect(out[99]).toBe(198);
    expect(done).toEqual([10, 20, 30, 40, 50, 60, 70, 80, 90, 100]);
  });

  it('slow items are not lumped together (each ~50 ms item its own task)', async () => {
    const done: number[] = [];
    await parallel.map(spin, [50, 50, 50, 50, 50, 50, 50, 50], { executor, onProgress: (d) => done.push(d) });
    expect(done.length).toBeGreaterThanOrEqual(6);
  });
});

describe('progress bar', () => {
  it('draws on stderr only when stderr is a TTY', async () => {
    const write = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const tty = Object.getOwnPropertyDescriptor(process.stderr, 'isTTY');
    try {
      Object.defineProperty(process.stderr, 'isTTY', { value: false, configurable: true });
      await parallel.map(double, [1, 2, 3], { progress: true });
      expect(write).not.toHaveBeenCalled();
      Object.defineProperty(process.stderr, 'isTTY', { value: true, configurable: true });
      await parallel.map(double, [1, 2, 3], { progress: true });
      const text = write.mock.calls.map((c) => String(c[0])).join('');
      expect(text).toMatch(/map \[#+\] 100% 3\/3\n/);
    } finally {
      write.mockRestore();
      if (tty) Object.defineProperty(process.stderr, 'isTTY', tty);
      else delete (process.stderr as any).isTTY;
    }
  });
});
