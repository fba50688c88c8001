// The execution cases of test/exec/cases.ts through tsfork/register: each case built by plain tsc (the
// sequential program) and run from its .ts sources with `node --import tsfork/register`; stdout and exit code
// must be the same.
import { describe, expect, it, beforeAll } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cases, type ExecCase } from '../exec/cases.js';
import { layOut, repoRoot, runNode, forkedTasks } from '../exec/project.js';
import { registerEntry, runNode as runArgs } from './project.js';

const tsconfig = {
  compilerOptions: {
    target: 'es2022', module: 'nodenext', moduleResolution: 'nodenext', sourceMap: true,
    rootDir: 'cases', outDir: 'sequential', types: ['node'], skipLibCheck: true,
  },
  include: ['cases'],
};

for (const format of ['esm', 'cjs'] as const) {
  const list = cases.filter((c) => (c.formats ?? ['esm', 'cjs']).includes(format));
  describe(`execution cases through tsfork/register (${format})`, () => {
    let root = '';
    beforeAll(() => {
      root = layOut(`toolchains-exec-register-${format}`, format, list);
      writeFileSync(join(root, 'tsconfig.json'), JSON.stringify(tsconfig));
      const built = runArgs([join(repoRoot, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], root, 120_000);
      if (built.status !== 0) throw new Error(`plain tsc build failed:\n${built.stdout}${built.stderr}`);
    }, 240_000);

    it.each(list.map((c) => [c.name, c] as [string, ExecCase]))('%s', (_name, c) => {
      const sequential = runNode(root, join('sequential', c.name, c.main.replace(/\.([cm]?)ts$/, '.$1js')), c.nodeArgs);
      const parallel = runNode(root, join('cases', c.name, c.main), [...(c.nodeArgs ?? []), '--import', registerEntry]);
      expect(sequential.status).toBe(c.exitCode ?? 0);
      expect(parallel.stdout).toBe(sequential.stdout);
      expect(parallel.status, `parallel run: ${parallel.stderr}`).toBe(sequential.status);
      if (c.parallelStderr) expect(parallel.stderr).toMatch(c.parallelStderr);
      if (!c.forksWhenSequential) expect(forkedTasks(sequential.stderr), 'the sequential build forks nothing').toBe(0);
      expect(forkedTasks(parallel.stderr), `the parallel build forks: ${parallel.stderr}`).toBeGreaterThan(0);
    });
  });
}
