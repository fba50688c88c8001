// Execution tests through tspc: every case of test/exec/cases.ts is built with plain tsc (the sequential program)
// and with tspc and the tsfork transformer (the parallel one), in ESM and CommonJS; both runs must print the same.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, beforeAll } from 'vitest';
import { cases } from '../exec/cases.js';
import { builtEntry, layOut, repoRoot, runNode, forkedTasks } from '../exec/project.js';

const bin = (name: string) => join(repoRoot, 'node_modules', '.bin', name);

function tsconfig(outDir: string, plugin: boolean) {
  return {
    compilerOptions: {
      target: 'es2022', module: 'nodenext', moduleResolution: 'nodenext', strict: true, sourceMap: true,
      rootDir: 'cases', outDir, types: ['node'], skipLibCheck: true,
      ...(plugin ? { plugins: [{ transform: 'tsfork/transformer', transformProgram: true }] } : {}),
    },
    include: ['cases'],
  };
}

function build(root: string, compiler: 'tsc' | 'tspc', config: string) {
  const r = spawnSync(bin(compiler), ['-p', config], { cwd: root, encoding: 'utf8' });
  return { status: r.status, output: r.stdout + r.stderr };
}

for (const format of ['esm', 'cjs'] as const) {
  const list = cases.filter((c) => (c.formats ?? ['esm', 'cjs']).includes(format));
  describe(`tspc execution cases (${format})`, () => {
    let root = '';
    beforeAll(() => {
      root = layOut(`exec-tspc-${format}`, format, list);
      writeFileSync(join(root, 'tsconfig.seq.json'), JSON.stringify(tsconfig('dist-seq', false)));
      writeFileSync(join(root, 'tsconfig.par.json'), JSON.stringify(tsconfig('dist-par', true)));
      const seq = build(root, 'tsc', 'tsconfig.seq.json');
      expect(seq.output, 'plain tsc build').toBe('');
      expect(seq.status).toBe(0);
      const par = build(root, 'tspc', 'tsconfig.par.json');
      expect(par.output.replace(/.*ExperimentalWarning.*\n?|.*--trace-warnings.*\n?/g, ''), 'tspc build').toBe('');
      expect(par.status).toBe(0);
    }, 120_000);

    for (const c of list) {
      it(c.name, () => {
        const entry = builtEntry(c);
        const seq = runNode(root, join('dist-seq', entry), c.nodeArgs);
        const par = runNode(root, join('dist-par', entry), c.nodeArgs);
        expect(seq.status, `sequential run: ${seq.stderr}`).toBe(c.exitCode ?? 0);
        expect(par.stdout).toBe(seq.stdout);
        expect(par.status, `parallel run: ${par.stderr}`).toBe(seq.status);
        if (c.parallelStderr) expect(par.stderr).toMatch(c.parallelStderr);
      if (!c.forksWhenSequential) expect(forkedTasks(seq.stderr), 'the sequential build forks nothing').toBe(0);
      expect(forkedTasks(par.stderr), `the parallel build forks: ${par.stderr}`).toBeGreaterThan(0);
      });
    }
  });
}
