// Runtime reliability, workers: a failure belongs to its own task (innocent tasks never fail), an idle runtime
// uses no CPU, and a runtime that cannot start its workers fails forks instead of hanging. Each case runs in a
// child process with a kill timer (a hang prints HANG and fails the test).
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import { configure } from 'tsfork';
import { fixture } from './helpers.js';

const reliability = (name: string) => fixture(`reliability/${name}`);
const preload = reliability('broken-worker-preload.mjs');

function run(file: string, args: string[] = [], env: Record<string, string> = {}, nodeArgs: string[] = []) {
  const r = spawnSync(process.execPath, [...nodeArgs, file, ...args], {
    encoding: 'utf8', timeout: 60_000, env: { ...process.env, TSFORK_STATS: '1', ...env },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
const exits = (stderr: string) => Number(/tsfork: (\d+) pool worker exits/.exec(stderr)?.[1] ?? 0);

describe('a failure belongs to its own task', () => {
  for (const [how, error] of [
    ['rejection', 'RangeError: nobody handles me'],
    ['timer', 'RangeError: thrown in a timer'],
    ['exit', 'WorkerDiedError: bad called process.exit(3) on a pool worker'],
  ] as const) {
    it(`io-isolation ${how}: one io task's ${how === 'exit' ? 'process.exit' : how === 'timer' ? 'throw in a timer' : 'unhandled rejection'} fails that task alone; its 15 neighbours on the same worker finish`, () => {
      const r = run(reliability('io-isolation.mjs'), [how]);
      expect(r.stdout, r.stderr).not.toMatch('HANG');
      const out = JSON.parse(r.stdout);
      expect(out.bad).toMatch(error);
      expect(out).toMatchObject({ innocentOk: 15, innocentFailed: 0, after: 99 });
      expect(exits(r.stderr), r.stderr).toBe(0); // the worker was not lost
      expect(r.code).toBe(0);
    }, 60_000);
  }

  it('io-isolation cancel: cancelling a running io task settles it at once; its neighbours finish; the worker retires only after them', () => {
    const r = run(reliability('io-isolation.mjs'), ['cancel']);
    const out = JSON.parse(r.stdout);
    expect(out.bad).toMatch(/^TaskCancelledError: forked call of bad was cancelled: not needed/);
    expect(out).toMatchObject({ innocentOk: 15, innocentFailed: 0, after: 99 });
    // The cancelled call's leftover (a 60 s timer) is ended by retiring its worker once the others are done.
    expect(exits(r.stderr), r.stderr).toBe(1);
  }, 60_000);

  it('io-isolation timeout: a map on the io pool that times out stops its own tasks only', () => {
    const r = run(reliability('io-isolation.mjs'), ['timeout']);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ bad: 'TimeoutError', innocentOk: 15, innocentFailed: 0, after: 99 });
  }, 60_000);

  it('cancel-race: a cancel that arrives after its task finished never stops the next task in that slot', () => {
    const r = run(reliability('cancel-race.mjs'), ['800']);
    expect(r.stdout, r.stderr).toMatch(/^\{"rounds":800,"innocentFailed":0\}/);
  }, 60_000);

  it('heap-main: with workerHeapMb set, a runaway allocation fails its task even where the main thread would have run it', () => {
    const r = run(reliability('heap-main.mjs'));
    expect(r.stdout, r.stderr).toBe('joined at once: WorkerDiedError\nwhile busy: WorkerDiedError\nafter 300 300 42\n');
    expect(r.stderr).toMatch(/, 0 on the main thread while it joined, 0 inline/);
    expect(exits(r.stderr)).toBe(2); // the two workers that ran out of memory (and the counter works)
    expect(r.code).toBe(0);
  }, 60_000);
});

describe('the function registry', () => {
  it('fresh-closures: fresh closures of one function share a registry entry (40,000 fork, where 33,825 filled it) and cost about what re-forking one function does', () => {
    const r = run(reliability('fresh-closures.mjs'), ['40000']);
    const [sum, cost] = r.stdout.trim().split('\n');
    expect(sum, r.stderr).toBe('800020000 42');
    const { sameUs, freshUs } = JSON.parse(cost!);
    expect(freshUs).toBeLessThan(4 * sameUs + 20); // was 20-30x: a parse (~190 us) per closure
  }, 60_000);
});

describe('an idle runtime uses no CPU', () => {
  it('idle-io: after an io fork, idle io workers stay up (no exit, no restart) and the idle process uses ~no CPU', () => {
    const r = run(reliability('idle-io.mjs'));
    const out = JSON.parse(r.stdout);
    expect(exits(r.stderr), r.stderr).toBe(0);
    expect(out.idleCpuMs).toBeLessThan(200); // was 700-1000 ms in 2 s: workers exiting and restarting
    expect(r.code).toBe(0);
  }, 60_000);
});

describe('a runtime that cannot start its workers fails forks instead of hanging', () => {
  it('heap-min: workerHeapMb below the minimum is refused, naming the value and the minimum', () => {
    expect(() => configure({ workerHeapMb: 4 })).toThrow('configure: workerHeapMb is 4, but a worker\'s heap limit must be at least 16 MB');
    const r = run(reliability('heap-env.mjs'), [], { TSFORK_WORKER_HEAP_MB: '4' });
    expect(r.stdout).toMatch(/^RangeError TSFORK_WORKER_HEAP_MB="4": a worker's heap limit must be at least 16 MB/);
  }, 30_000);

  it('cannot-start: workers that fail at start-up are tried 5 times, then every pending and later fork fails with the reason', () => {
    const r = run(reliability('cannot-start.mjs'), [], {}, ['--import', preload]);
    const reason = (pool: string) => `WorkerDiedError: tsfork cannot start the ${pool} pool's workers: 5 workers in a row ` +
      'failed before they were ready (Error: this worker cannot start (test preload)); every fork on this pool fails with this error';
    expect(r.stdout, r.stderr).toBe([
      `rejected ${reason('cpu')}`, `rejected ${reason('io')}`, `joined ${reason('io')}`, `later ${reason('cpu')}`, '',
    ].join('\n'));
    expect(r.code).toBe(0);
  }, 60_000);

  it('supervisor-dies: when the supervisor thread itself cannot start, every fork fails with its error', () => {
    const r = run(reliability('supervisor-dies.mjs'), [], { TSFORK_TEST_BREAK: 'all' }, ['--import', preload]);
    expect(r.stdout, r.stderr).toBe('WorkerDiedError tsfork\'s pool supervisor failed: Error: this worker cannot s\n'.repeat(2));
  }, 60_000);

  it('bundled: a program bundled into one file (tsfork inside) fails its forks, saying to keep tsfork external', async () => {
    const { rolldown } = await import('rolldown');
    const dir = mkdtempSync(joinPath(tmpdir(), 'tsfork-bundle-'));
    try {
      const bundle = await rolldown({ input: reliability('bundled-app.mjs'), platform: 'node', logLevel: 'silent' });
      await bundle.write({ file: joinPath(dir, 'app.mjs') });
      const r = run(joinPath(dir, 'app.mjs'));
      const line = /^ForkError tsfork cannot start its workers: its worker script .*worker\.js is missing\..*esbuild --external:tsfork/;
      const lines = r.stdout.split('\n');
      expect(lines[0], r.stdout + r.stderr).toMatch(line);
      expect(lines[1]).toMatch(line);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
