// The process executor under faults: its parent dying, its children dying, values that cannot cross as they are.
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const parentScript = fileURLToPath(new URL('./fixtures/orphan-parent.mjs', import.meta.url));

const alive = (pid: number) => { try { process.kill(pid, 0); return true; } catch { return false; } };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs the parent until its child task has written its pid, ends the parent as `how` says; the child's pid. */
async function orphanAfter(how: 'exit' | 'crash' | 'sync' | 'SIGTERM' | 'SIGINT' | 'SIGKILL'): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'tsfork-orphan-'));
  const pidFile = join(dir, 'pid');
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
