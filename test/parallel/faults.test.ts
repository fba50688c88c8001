// map/par under faults: a worker or child process dying under one item, the parent dying under its children,
// thrown values that cannot cross as they are.
import { describe, expect, it } from 'vitest';
import * as parallel from 'tsfork';
import { WorkerDiedError, FailedTask, fork, join, reviveError, serializeError } from 'tsfork';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import { fileURLToPath } from 'node:url';

const parentScript = fileURLToPath(new URL('./fixtures/orphan-parent.mjs', import.meta.url));

const alive = (pid: number) => { try { process.kill(pid, 0); return true; } catch { return false; } };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs the parent until its child task has written its pid, ends the parent as `how` says; the child's pid. */
async function orphanAfter(how: 'exit' | 'crash' | 'sync' | 'SIGTERM' | 'SIGINT' | 'SIGKILL'): Promise<number> {
  const dir = mkdtempSync(joinPath(tmpdir(), 'tsfork-orphan-'));
  const pidFile = joinPath(dir, 'pid');
  const mode = how.startsWith('SIG') ? 'wait' : how;
  const parent = spawn(process.execPath, [parentScript, mode, pidFile], { stdio: ['ignore', 'ignore', 'pipe'] });
  const exited = new Promise<void>((r) => parent.on('exit', () => r()));
  try {
    for (let t = 0; !existsSync(pidFile) || readFileSync(pidFile, 'utf8') === ''; t += 20) {
      if (t > 30_000) throw new Error('the child task never started');
      await sleep(20);
    }
    const child = Number(readFileSync(pidFile, 'utf8'));
    if (how.startsWith('SIG')) parent.kill(how as NodeJS.Signals);
    else if (how === 'sync') parent.kill('SIGTERM');
    await exited;
    return child;
  } finally {
    parent.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}

async function expectGone(pid: number): Promise<void> {
  for (let t = 0; alive(pid) && t < 5000; t += 50) await sleep(50);
  const still = alive(pid);
  if (still) process.kill(pid, 'SIGKILL'); // do not leave it spinning after a failed test
  expect(still, `child ${pid} still runs 5 s after its parent ended`).toBe(false);
}

describe('child processes do not outlive their parent (an endless task running)', () => {
  for (const how of ['SIGTERM', 'SIGINT', 'SIGKILL', 'exit', 'crash', 'sync'] as const) {
    it(`parent ended by ${how}: the child exits within 5 s`, { timeout: 60_000 }, async () => {
      await expectGone(await orphanAfter(how));
    });
  }
});

const executors = ['thread', 'process'] as const;
const inputs = Array.from({ length: 2000 }, (_, i) => i);

describe('a worker death fails its own item only', () => {
  const quitsAt1234 = (x: number) => { if (x === 1234) process.exit(3); return x * 2; };
  for (const exe of executors) {
    it(`${exe}: silent map of 2000, one process.exit: one FailedTask, at its item, naming the function`, { timeout: 60_000 }, async () => {
      const r = await parallel[exe].map(quitsAt1234, inputs, { silent: true });
      const failed = r.flatMap((v: unknown, i: number) => (v instanceof FailedTask ? [i] : []));
      expect(failed).toEqual([1234]);
      const f = r[1234] as FailedTask;
      expect(f.name).toBe('quitsAt1234');
      expect(f.args).toEqual([1234]);
      expect(f.error).toBeInstanceOf(WorkerDiedError);
      // threads: process.exit throws in the item's own call (the worker goes on); processes: the child dies
      expect(f.error.message).toMatch(exe === 'thread' ? /^quitsAt1234 called process\.exit\(3\) on a pool worker/ : /quitsAt1234 on item 1234.*exit code 3/);
      expect(f.error.message).not.toMatch(/runChunk/);
      for (let i = 0; i < inputs.length; i++) if (i !== 1234) expect(r[i]).toBe(i * 2);
    });

    it(`${exe}: default mode rejects with the item's WorkerDiedError (fixed chunkSize 500)`, { timeout: 60_000 }, async () => {
      const e: any = await parallel[exe].map(quitsAt1234, inputs, { chunkSize: 500 }).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(WorkerDiedError);
      expect(e.message).toMatch(exe === 'thread' ? /^quitsAt1234 called process\.exit\(3\)/ : /^process\.map: .*quitsAt1234 on item 1234/);
    });

    it(`${exe}: par names the entry's function and key`, { timeout: 60_000 }, async () => {
      const quits = () => process.exit(4);
      const r = await parallel[exe].par({ ok: [(x: number) => x + 1, 1], bad: [quits] }, { silent: true });
      expect(r.ok).toBe(2);
      expect(r.bad).toBeInstanceOf(FailedTask);
      expect(r.bad.error).toBeInstanceOf(WorkerDiedError);
      expect(r.bad.error.message).toMatch(exe === 'thread' ? /^quits called process\.exit\(4\)/ : /quits \(key "bad"\)/);
    });
  }
});

describe('what a dead worker reports', () => {
  it('process: a child that exits gives WorkerDiedError with its exit code', { timeout: 60_000 }, async () => {
    const e: any = await parallel.process.map(() => process.exit(7), [0]).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(WorkerDiedError);
    expect(e.message).toMatch(/the child process running .* died with exit code 7/);
    expect(e.message).not.toMatch(/Workerpool/);
    expect(e.exitCode).toBe(7);
  });

  it('process: a child killed by a signal says so', { timeout: 60_000 }, async () => {
    const e: any = await parallel.process.map(() => process.kill(process.pid, 'SIGKILL'), [0]).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(WorkerDiedError);
    expect(e.message).toContain('(killed by SIGKILL)');
    expect(e.signal).toBe('SIGKILL');
  });

  it('thread: an async task whose promise never settles says so, not "exit code 0"', { timeout: 60_000 }, async () => {
    const hangs = async () => { await new Promise(() => {}); };
    const e: any = await parallel.thread.map(hangs, [0]).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(WorkerDiedError);
    expect(e.message).toContain('never settled');
    expect(e.message).not.toContain('exit code 0');
    const forked: any = await fork(hangs).then(() => 'settled', (x: unknown) => x);
    expect(forked.message).toContain('never settled');
  });
});

describe('thrown values that structuredClone refuses keep what can be kept', () => {
  const throwsKind = (k: number) => {
    const values = [Symbol.for('tsfork.test'), Symbol('local'), function helper() { return 1; }, { code: 7, retry() {}, tag: Symbol('t') }];
    throw values[k];
  };
  for (const exe of executors) {
    it(`${exe}: symbols, functions and objects with function fields`, { timeout: 60_000 }, async () => {
      const r = await parallel[exe].map(throwsKind, [0, 1, 2, 3], { silent: true, chunkSize: 1 });
      const values = r.map((f: FailedTask) => (f.error as any).value);
      expect(values[0]).toBe(Symbol.for('tsfork.test'));                // registered: the very same symbol
      expect(typeof values[1]).toBe('symbol');
      expect(values[1].description).toBe('local');                      // a new symbol, same description
      expect(typeof values[2]).toBe('function');
      expect(values[2].name).toBe('helper');
      expect(String(values[2])).toMatch(/^function helper\(\) {\s*return 1;\s*}$/); // its source
      expect(() => values[2]()).toThrow(/helper was thrown in another thread or process/);
      expect(values[3].code).toBe(7);
      expect(typeof values[3].retry).toBe('function');
      expect(values[3].tag.description).toBe('t');
      expect(r[3].error.message).toBe("{ code: 7, retry: [Function: retry], tag: Symbol(t) }");
      expect(r[1].error.message).toBe('Symbol(local)');
      const e = await parallel[exe].map(throwsKind, [0]).catch((x: unknown) => x);
      expect(e).toBe(Symbol.for('tsfork.test'));
    });
  }

  it('fork/join and serializeError/reviveError', () => {
    expect(() => join(fork(throwsKind, 0))).toThrow(); // thrown as is
    let caught: any;
    try { join(fork(throwsKind, 3)); } catch (e) { caught = e; }
    expect(caught.code).toBe(7);
    expect(caught.retry.name).toBe('retry');
    const err = Object.assign(new Error('with a callback'), { onRetry: function onRetry() {}, kind: Symbol.for('k') });
    const back: any = reviveError(structuredClone(serializeError(err)));
    expect(back.message).toBe('with a callback');
    expect(back.onRetry.name).toBe('onRetry');
    expect(back.kind).toBe(Symbol.for('k'));
    const cyclic: any = { name: 'loop', f() {} };
    cyclic.self = cyclic;
    const again: any = reviveError(structuredClone(serializeError(cyclic)));
    expect(again.self).toBe(again);
    expect(typeof again.f).toBe('function');
  });
});
