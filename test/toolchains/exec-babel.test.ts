// The execution cases of test/exec/cases.ts through tsfork/babel: each case built by @babel/cli without the
// plugin (the sequential program) and with it, both run; stdout and exit code must be the same.
import { describe, expect, it, beforeAll } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cases, type ExecCase } from '../exec/cases.js';
import { builtEntry, layOut, runNode, forkedTasks } from '../exec/project.js';
import { babelCli, babelPlugin, runNode as runArgs } from './project.js';

const decorators = ['@babel/plugin-proposal-decorators', { version: '2023-11' }];

function babelBuild(root: string, format: 'esm' | 'cjs', withTsfork: boolean, outDir: string): void {
  // tsfork/babel lowers its own decorators (the static-method case) itself; the build without it needs the plugin.
  const plugins: unknown[] = withTsfork ? [babelPlugin] : [decorators];
  if (format === 'cjs') plugins.push('@babel/plugin-transform-modules-commonjs');
  writeFileSync(join(root, 'babel.config.json'), JSON.stringify({ presets: ['@babel/preset-typescript'], plugins }));
  // Source maps: an uncaught error must name the .ts line that threw.
  const built = runArgs([babelCli, 'cases', '-d', outDir, '--extensions', '.ts', '--source-maps'], root, 120_000);
  if (built.status !== 0) throw new Error(`babel ${withTsfork ? 'with' : 'without'} tsfork failed:\n${built.stderr}`);
}

for (const format of ['esm', 'cjs'] as const) {
  const list = cases.filter((c) => (c.formats ?? ['esm', 'cjs']).includes(format));
  describe(`execution cases through tsfork/babel (${format})`, () => {
    let root = '';
    beforeAll(() => {
      root = layOut(`toolchains-exec-babel-${format}`, format, list);
      babelBuild(root, format, false, 'sequential');
      babelBuild(root, format, true, 'parallel');
    }, 240_000);

    it.each(list.map((c) => [c.name, c] as [string, ExecCase]))('%s', (_name, c) => {
      const entry = builtEntry(c).replace(/^cases[\\/]/, '');
      const sequential = runNode(root, join('sequential', entry), c.nodeArgs);
      const parallel = runNode(root, join('parallel', entry), c.nodeArgs);
      expect(sequential.status).toBe(c.exitCode ?? 0);
      expect(parallel.stdout).toBe(sequential.stdout);
      expect(parallel.status).toBe(sequential.status);
      if (c.parallelStderr) expect(parallel.stderr).toMatch(c.parallelStderr);
      if (!c.forksWhenSequential) expect(forkedTasks(sequential.stderr), 'the sequential build forks nothing').toBe(0);
      expect(forkedTasks(parallel.stderr), `the parallel build forks: ${parallel.stderr}`).toBeGreaterThan(0);
    });
  });
}
