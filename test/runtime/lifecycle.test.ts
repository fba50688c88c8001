// Program-level behaviour, in child processes: exit, unjoined failures, CommonJS, configuration, browser join.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import { configure } from 'tsfork';
import { fixture, runNode } from './helpers.js';

describe('lifecycle', () => {
  it('every started fork finishes before exit, and idle workers do not keep the program alive', () => {
    const out = joinPath(mkdtempSync(joinPath(tmpdir(), 'tsfork-')), 'out.txt');
    const t0 = Date.now();
    const r = runNode(fixture('all-forks-finish.mjs'), [out]);
    expect(r.code).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe('written');
    expect(Date.now() - t0).toBeLessThan(10_000);
  });

  it('a failure nobody joined is printed and makes the exit code non-zero', () => {
    const r = runNode(fixture('unjoined-failure.mjs'));
    expect(r.stdout).toBe('main done\n');
    expect(r.stderr).toMatch(/tsfork: a forked call of failsQuietly failed and nobody joined it:\nRangeError: nobody looks at 3/);
    expect(r.code).toBe(1);
  });

  it('a forked call that calls process.exit() fails with WorkerDiedError, wherever it ran, and the program goes on', () => {
    const r = runNode(fixture('exit-in-task.mjs'), [], { TSFORK_STATS: '1' });
    expect(r.stdout).toBe('{"WorkerDiedError":22,"other":0} 144\n');
    expect(r.code).toBe(0);
    // The main thread did run some of them (helping a join or inline), which is the case this guards.
    const stats = /(\d+) on the main thread while it joined, (\d+) inline/.exec(r.stderr);
    expect(stats, r.stderr).not.toBeNull();
    expect(Number(stats![1]) + Number(stats![2])).toBeGreaterThan(0);
  });

  it('works from CommonJS: require("tsfork")', () => {
    const r = runNode(fixture('require.cjs'));
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('42 10\n');
  });

  it('a worker module with top-level await (require() cannot load it) is imported by the worker instead', () => {
    const r = runNode(fixture('tla.mjs'));
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('101 102\n');
  });

  it('join on a browser main thread throws and says to use await', () => {
    const r = runNode(fixture('browser-join.mjs'));
    expect(r.stdout).toBe('JoinError join() cannot block a browser main thread: use `await` on the fork result instead\nawait 2\n');
  });

  it('configure: pool sizes from options or environment; only before the first fork; bad input named', () => {
    const late = runNode(fixture('configure-late.mjs'));
    expect(late.stdout).toMatch('configure() must be called before the first fork');
    const sized = runNode(fixture('pool-size.mjs'), [], { TSFORK_CPU_WORKERS: '1', TSFORK_IO_WORKERS: '2' });
    expect(JSON.parse(sized.stdout)).toEqual({ cpu: 1, io: 2 });
    const bad = runNode(fixture('pool-size.mjs'), [], { TSFORK_CPU_WORKERS: 'many' });
    expect(bad.stderr).toMatch('TSFORK_CPU_WORKERS="many": expected a positive integer');
    expect(() => configure({ cpuWorkers: 0 })).toThrow('configure: cpuWorkers must be a positive integer, got 0');
    expect(() => configure({ workers: 2 } as any)).toThrow(/configure: unknown option 'workers'/);
  });
});
