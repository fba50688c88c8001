// The programs in examples/ through tsfork/babel and `tsfork run`: each prints what its plain tsc build prints.
// (How much faster they run is measured by bench/toolchains.bench.mjs, not here.)
import { describe, expect, it, beforeAll } from 'vitest';
import { existsSync, readdirSync, writeFileSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { babelCli, babelPlugin, cliEntry, repoRoot, runNode } from './project.js';

const examples = join(repoRoot, 'examples');
const names = readdirSync(examples, { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(examples, d.name, 'main.ts')))
  .map((d) => d.name)
  .sort();
const out = join(repoRoot, 'test/.tmp/toolchains-examples');

describe('examples through babel and tsfork run', () => {
  beforeAll(() => {
    rmSync(out, { recursive: true, force: true });
    mkdirSync(out, { recursive: true });
    const tsconfig = { extends: join(examples, 'tsconfig.json'), compilerOptions: { outDir: join(out, 'sequential'), rootDir: examples, plugins: [] }, include: [join(examples, '*/*.ts')] };
    writeFileSync(join(out, 'tsconfig.json'), JSON.stringify(tsconfig));
    const tsc = runNode([join(repoRoot, 'node_modules/typescript/bin/tsc'), '-p', join(out, 'tsconfig.json')], repoRoot, 120_000);
    if (tsc.status !== 0) throw new Error(`plain tsc build of examples failed:\n${tsc.stdout}${tsc.stderr}`);
    writeFileSync(join(out, 'babel.config.json'), JSON.stringify({ presets: ['@babel/preset-typescript'], plugins: [babelPlugin] }));
    const babel = runNode([babelCli, 'examples', '-d', join(out, 'babel'), '--extensions', '.ts', '--config-file', join(out, 'babel.config.json'), '--source-maps'], repoRoot, 120_000);
    if (babel.status !== 0) throw new Error(`babel build of examples failed:\n${babel.stderr}`);
  }, 240_000);

  it('finds the examples', () => {
    expect(names.length).toBeGreaterThanOrEqual(2);
  });

  it.each(names)('%s prints the same through babel and tsfork run as sequentially', (name) => {
    const sequential = runNode([join(out, 'sequential', name, 'main.js')], repoRoot, 120_000);
    expect(sequential.status).toBe(0);
    expect(existsSync(join(out, 'babel', name, 'main.tsfork-worker.mjs'))).toBe(true);
    const babel = runNode([join(out, 'babel', name, 'main.js')], repoRoot, 120_000);
    expect(babel.stdout).toBe(sequential.stdout);
    expect(babel.status).toBe(0);
    const run = runNode([cliEntry, 'run', join('examples', name, 'main.ts')], repoRoot, 120_000);
    expect(run.stdout).toBe(sequential.stdout);
    expect(run.status).toBe(0);
  });
});
