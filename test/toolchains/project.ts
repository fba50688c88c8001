// Small throwaway projects on disk for the toolchain tests, with `tsfork` installed as a link to this repo.
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { stripVTControlCharacters } from 'node:util';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
export const registerEntry = join(repoRoot, 'dist/transformer/register/index.js');
export const cliEntry = join(repoRoot, 'dist/cli/index.js');
export const babelCli = join(repoRoot, 'node_modules/@babel/cli/bin/babel.js');
export const babelPlugin = join(repoRoot, 'dist/transformer/babel/index.js');

export interface ProjectOptions {
  type?: 'module' | 'commonjs';
}

/** A fresh directory under test/.tmp/toolchains/<name> holding `files`, a package.json and node_modules/tsfork. */
export function makeProject(name: string, files: Record<string, string>, options: ProjectOptions = {}): string {
  const dir = join(repoRoot, 'test/.tmp/toolchains', name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'node_modules'), { recursive: true });
  symlinkSync(repoRoot, join(dir, 'node_modules/tsfork'), 'junction');
  const manifest = { name: `toolchains-${name}`, private: true, type: options.type ?? 'module' };
  writeFileSync(join(dir, 'package.json'), JSON.stringify(manifest, null, 2));
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), text);
  }
  return dir;
}

export interface Ran {
  stdout: string;
  stderr: string;
  status: number | null;
}

export function runNode(args: string[], cwd: string, timeout = 60_000, env: Record<string, string> = {}): Ran {
  const r = spawnSync(process.execPath, args, { cwd, encoding: 'utf8', timeout, env: { ...process.env, NODE_OPTIONS: '', ...env } });
  // CI=true makes Babel's code frames colourful; tests compare the text a person reads.
  return { stdout: stripVTControlCharacters(r.stdout), stderr: stripVTControlCharacters(r.stderr), status: r.status };
}
