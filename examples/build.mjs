// Builds every example twice: plain tsc (the sequential program) and `tsfork build` (the parallel one).
// Used by examples/demo.mjs and bench/examples.bench.mjs.
import { spawnSync } from 'node:child_process';
import { readdirSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const examplesDir = dirname(fileURLToPath(import.meta.url));
const repo = join(examplesDir, '..');

export function exampleNames() {
  return readdirSync(examplesDir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(examplesDir, d.name, 'main.ts')))
    .map((d) => d.name).sort();
}

function check(what, r) {
  if (r.status !== 0) {
    process.stderr.write(`${what} failed (exit ${r.status}):\n${r.stdout ?? ''}${r.stderr ?? ''}\n`);
    process.exit(1);
  }
}

export function buildExamples() {
  check('tsc -p examples/tsconfig.sequential.json', spawnSync(process.execPath,
    [join(repo, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(examplesDir, 'tsconfig.sequential.json')], { encoding: 'utf8' }));
  check('tsfork build -p examples', spawnSync(process.execPath,
    [join(repo, 'dist', 'cli', 'index.js'), 'build', '-p', examplesDir], { encoding: 'utf8' }));
}

/** Runs one build of one example; returns its stdout, exit code and wall-clock milliseconds. */
export function runExample(name, mode) {
  const entry = join(examplesDir, 'dist', mode, name, 'main.js');
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ['--enable-source-maps', entry], { encoding: 'utf8' });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status, ms: performance.now() - t0 };
}
