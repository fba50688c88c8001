// Runtime reliability: started work is never lost (queued or inline, sync or async task, normal or early exit),
// no join hangs, and the API edges (lazy arguments, globals, submit options, error stacks) behave. Every program
// runs in a child process with a kill timer, so a hang fails the test.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { fixture } from './helpers.js';

function run(name: string, args: string[] = [], env: Record<string, string> = {}, timeout = 30_000) {
  const r = spawnSync(process.execPath, [fixture(`accounting/${name}`), ...args], {
    encoding: 'utf8', timeout, env: { ...process.env, ...env },
  });
  return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

const count = (out: string) => {
  const c: Record<string, number> = {};
  for (const line of out.split('\n')) if (line) c[line] = (c[line] ?? 0) + 1;
  return c;
};

const tree = (root: string, child: string, leaf: string) => ({
  [root]: 1, [`${root} end`]: 1, [child]: 30, [`${child} end`]: 30, [leaf]: 900,
});

describe('reliability: started work and exit', () => {
  it('the xfork cascading test: four roots fork children that fork grandchildren, nothing joined, every line printed', { timeout: 70_000 }, () => {
    for (const env of [{}, { TSFORK_CPU_WORKERS: '1', TSFORK_IO_WORKERS: '1' }]) {
      const r = run('cascade.mjs', [], env);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(count(r.stdout)).toEqual({
        ...tree('cpu_a', 'cpu_b', 'cpu_c'), ...tree('cpu_a_fork', 'cpu_b_fork', 'cpu_c_fork'),
        ...tree('io_a', 'io_b', 'io_c'), ...tree('io_a_fork', 'io_b_fork', 'io_c_fork'),
      });
      expect(r.stdout.split('\n').length - 1).toBe(4 * 962);
    }
  });

  it('a joined root is done only when its tree is; an async task that does not await its forks ends after them', { timeout: 40_000 }, () => {
    const r = run('cascade-joined-root.mjs');
    expect(r.stderr).toBe('');
    const lines = r.stdout.split('\n');
    const joined = lines.indexOf('joined cpu_a');
    expect(count(lines.slice(0, joined).join('\n'))).toEqual(tree('cpu_a', 'cpu_b', 'cpu_c'));
    const awaited = lines.indexOf('awaited async_a');
    expect(count(lines.slice(joined + 1, awaited).join('\n'))).toEqual({ 'async_a end': 1, cpu_b: 30, 'cpu_b end': 30, cpu_c: 900 });
  });

  it('a call run inline is done only when the forks it started are, as on a worker', { timeout: 30_000 }, () => {
    const r = run('inline-frame.mjs', ['main']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('started written\n');
  });

  it('an unjoined failure of a fork that ran inline (pool saturated) is reported, exit code 1, on main and in a task', { timeout: 40_000 }, () => {
    const env = { TSFORK_CPU_WORKERS: '1', TSFORK_STATS: '1' };
    const main = run('inline-unjoined-failure.mjs', [], env);
    expect(main.stdout).toBe('main done\n');
    expect(main.stderr).toMatch(/tsfork: a forked call of failsInline failed and nobody joined it:\nRangeError: inline nobody looks at 5\n    at failsInline /);
    expect(main.stderr).not.toMatch(/dist\/runtime/);
    expect(Number(/(\d+) inline/.exec(main.stderr)![1])).toBeGreaterThan(0);
    expect(main.code).toBe(1);
    const inTask = run('inline-unjoined-failure-in-task.mjs', ['main'], env);
    expect(inTask.stdout).toBe('parent done\n');
    expect(inTask.stderr).toMatch(/tsfork: a forked call of failsInTask failed and nobody joined it:\nRangeError: in-task nobody looks at 6/);
    expect(inTask.code).toBe(1);
  });

  it('an unjoined failure of a fork made by an async task after an await is reported once the task ends, exit code 1', { timeout: 30_000 }, () => {
    const r = run('async-unjoined-failure.mjs', ['main']);
    expect(r.stdout).toBe('async parent done\n');
    expect(r.stderr).toMatch(/failsLater failed and nobody joined it:\nRangeError: async parent never awaited 7/);
    expect(r.code).toBe(1);
  });

  it('forks still running at process.exit() or an uncaught exception in main finish first; exit codes kept', { timeout: 60_000 }, () => {
    for (const [mode, code] of [['exit', 0], ['exit2', 2], ['throw', 1], ['fail', 1]] as const) {
      const r = run('exit-with-forks.mjs', [mode]);
      expect(r.stdout.split('\n').sort(), mode).toEqual(['', 'late 0', 'late 1', 'late 2', 'main ends']);
      expect(r.code, `${mode}: ${r.stderr}`).toBe(code);
      if (mode === 'throw') expect(r.stderr).toMatch('Error: main threw');
      if (mode === 'fail') expect(r.stderr).toMatch('failsUnseen failed and nobody joined it:\nTypeError: unseen at exit');
    }
  });
});

describe('reliability: no hang', () => {
  it('a synchronous task joining a fork of an unmarked async function finishes: 1 worker and 1 task, 2 workers and 4', { timeout: 40_000 }, () => {
    const one = run('sync-joins-async.mjs', ['1'], { TSFORK_CPU_WORKERS: '1' }, 15_000);
    expect(one.signal).toBeNull();
    expect(one.stdout).toBe('1\n100\n');
    const four = run('sync-joins-async.mjs', ['4'], { TSFORK_CPU_WORKERS: '2' }, 15_000);
    expect(four.signal).toBeNull();
    expect(four.stdout).toBe('1 3 5 7\n100\n');
  });
});

describe('reliability: more forks outstanding than slots', () => {
  it('with every slot taken, fork returns at once and nothing spins; awaits and joins still get every value', { timeout: 60_000 }, () => {
    const r = run('slots-full.mjs', [], { TSFORK_SLOTS: '64' }, 50_000);
    expect(r.stderr).toBe('');
    const m = JSON.parse(r.stdout) as { sum: number; joined: number; forkMs: number; wallMs: number; cpuMs: number; ticks: number };
    expect(m.sum).toBe(199 * 200 / 2);
    expect(m.joined).toBe(199);
    // 200 one-second sleepers through 64 slots: a fork that waited for a slot would take a second or more.
    expect(m.forkMs).toBeLessThan(800);
    // Spinning for a slot burns the main thread's CPU for the whole wait (it was ~wall time).
    expect(m.cpuMs).toBeLessThan(m.wallMs / 2);
    expect(m.ticks).toBeGreaterThan(m.wallMs / 10 / 4);
  });
});

describe('reliability: values and API', () => {
  const out = () => JSON.parse(run('misc-api.mjs').stdout) as Record<string, unknown>;
  let got: Record<string, unknown> | undefined;
  const get = () => (got ??= out());

  it('a lazy result passed as an argument to fork or submit is passed as its value', { timeout: 30_000 }, () => {
    expect(get()).toMatchObject({ lazyArg: 43, lazyArgs: 43, submitLazy: 42 });
  });

  it('a name put on globalThis by the program is rejected by the free-variable check; built-in globals are not', { timeout: 30_000 }, () => {
    expect(get().global).toMatch("ForkError: fork(usesAdded): usesAdded uses 'addedLi");
    expect(get().builtin).toBe('5object');
  });

  it("an argument that cannot be sent: the ForkError's first frame is the user's fork (or wrapper, or submit) call", { timeout: 30_000 }, () => {
    const site = /^ {4}at file:\/\/.*\/misc-api\.mjs:(\d+):\d+$/;
    expect(get().forkFrame).toMatch(site);
    expect(get().wrapperFrame).toMatch(site);
    expect(get().submitFrame).toMatch(site);
    expect(get().hasCause).toBe(true);
  });

  it('submit: an aborted signal never runs the task; no listener left per task; the reason is the cause; bad options throw before queueing', { timeout: 30_000 }, () => {
    const r = run('submit-signal.mjs');
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe([
      '0 TaskCancelledError stop cancelled',
      'listeners left 0',
      'submit(noisy, args, { signal }): signal must be an AbortSignal, got number',
      'TaskCancelledError no longer needed',
      '',
    ].join('\n'));
  });
});
