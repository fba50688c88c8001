// Helpers every front end's execution runner shares: lay a case list out on disk, run a built entry.
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ExecCase } from './cases.js';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * A fresh folder under test/.tmp/ holding every case in cases/<name>/, a package.json of the given module type,
 * and node_modules/tsfork linked to this repository (so `import ... from 'tsfork'` finds the built package).
 */
export function layOut(dirName: string, format: 'esm' | 'cjs', list: ExecCase[]): string {
  const root = join(repoRoot, 'test', '.tmp', dirName);
  rmSync(root, { recursive: true, force: true });
  mkdirSync(join(root, 'node_modules'), { recursive: true });
  symlinkSync(repoRoot, join(root, 'node_modules', 'tsfork'), 'dir');
  writeFileSync(join(root, 'package.json'), JSON.stringify({ private: true, type: format === 'esm' ? 'module' : 'commonjs' }));
  for (const c of list) {
    for (const [file, text] of Object.entries(c.files)) {
      const path = join(root, 'cases', c.name, file);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, text);
    }
  }
  return root;
}

export interface RunResult { stdout: string; stderr: string; status: number | null; ms: number }

export function runNode(cwd: string, entry: string, nodeArgs: string[] = [], timeoutMs = 60_000): RunResult {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [...nodeArgs, entry], {
    cwd, encoding: 'utf8', timeout: timeoutMs, env: { ...process.env, TSFORK_STATS: '1' },
  });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status, ms: performance.now() - t0 };
}

/**
 * How many forks the runtime ran (on workers, on the joining main thread, or inline), from the line TSFORK_STATS=1
 * prints at exit; 0 when the program never started a pool. A build whose transform did nothing prints no such line.
 */
export function forkedTasks(stderr: string): number {
  const m = /tsfork: (\d+) tasks ran on worker threads, (\d+) on the main thread while it joined, (\d+) inline/.exec(stderr);
  return m ? Number(m[1]) + Number(m[2]) + Number(m[3]) : 0;
}

/** The entry's path once compiled to JavaScript, relative to the output folder (rootDir is cases/). */
export function builtEntry(c: ExecCase): string {
  return join(c.name, c.main).replace(/\.([cm]?)tsx?$/, '.$1js');
}
