// Fixture tests in the style of Babel's plugins: test/fixtures/<feature>/<case>/ holds input.ts and what the core
// makes of it: plan.txt (the decisions: worker names, captures, what the worker keeps, each call's join), output.ts
// (the rewritten module), worker.ts (the worker module, if any) and diagnostics.txt.
// TSFORK_UPDATE_FIXTURES=1 rewrites the expectations from the current output (review the diff before committing).
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { explainModule, transformModule, type MarkerKind } from '../../dist/transformer/core/index.js';

const root = resolve(import.meta.dirname, '../fixtures');
const update = process.env.TSFORK_UPDATE_FIXTURES === '1';

interface FixtureOptions {
  moduleFormat?: 'esm' | 'cjs';
  /** module specifier -> imported name -> marker */
  markedImports?: Record<string, Record<string, MarkerKind>>;
}

function expectFile(path: string, actual: string | undefined) {
  if (update) {
    if (actual === undefined) rmSync(path, { force: true });
    else writeFileSync(path, actual);
    return;
  }
  const expected = existsSync(path) ? readFileSync(path, 'utf8') : undefined;
  expect(actual, path).toBe(expected);
}

for (const feature of readdirSync(root).sort()) {
  describe(feature, () => {
    for (const name of readdirSync(join(root, feature)).sort()) {
      const dir = join(root, feature, name);
      it(name, () => {
        const input = readFileSync(join(dir, 'input.ts'), 'utf8');
        const opts: FixtureOptions = existsSync(join(dir, 'options.json')) ? JSON.parse(readFileSync(join(dir, 'options.json'), 'utf8')) : {};
        const options = {
          fileName: '/project/src/input.ts',
          moduleFormat: opts.moduleFormat ?? 'esm',
          markedImports: (spec: string, imported: string) => opts.markedImports?.[spec]?.[imported],
        };
        const result = transformModule(input, options);
        const diagnostics = result.diagnostics
          .map((d) => `${d.line}:${d.column} ${d.severity} TSF${d.code}: ${d.message}\n`).join('');
        expectFile(join(dir, 'plan.txt'), explainModule(input, options));
        expectFile(join(dir, 'output.ts'), result.code);
        expect(result.workers.length).toBeLessThanOrEqual(1);
        expect(result.workers[0]?.fileName ?? '/project/src/input.tsfork-worker.ts').toBe('/project/src/input.tsfork-worker.ts');
        expectFile(join(dir, 'worker.ts'), result.workers[0]?.code);
        expectFile(join(dir, 'diagnostics.txt'), diagnostics === '' ? undefined : diagnostics);
        // Edits never add or remove a line: stacks and source maps line up with the user's file.
        expect(result.code.split('\n').length).toBe(input.split('\n').length);
        for (const w of result.workers) expect(w.code.split('\n').length).toBe(input.split('\n').length);
      });
    }
  });
}
