// Every example in README.md's runtime section runs as is, and prints what its comments say.
import { describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runNode } from './helpers.js';

const readme = readFileSync(fileURLToPath(new URL('../../README.md', import.meta.url)), 'utf8');
const section = readme.slice(readme.indexOf('<!-- section:runtime -->'), readme.indexOf('<!-- /section:runtime -->'));
const blocks = [...section.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]!);
const dir = fileURLToPath(new URL('../.tmp/readme-runtime/', import.meta.url));

/** `console.log(...); // expected` on one line: the expected output of that line. */
function expectedLines(code: string): string[] {
  return code.split('\n').filter((l) => /^\s*console\.log\(.*\);\s*\/\/ /.test(l)).map((l) => l.slice(l.lastIndexOf('// ') + 3).split(':')[0]!.trim());
}

describe('README runtime examples', () => {
  it('has examples', () => expect(blocks.length).toBeGreaterThan(8));

  blocks.forEach((code, i) => {
    const named = /^\/\/ (\S+\.mjs)/.exec(code)?.[1];
    it(`example ${i + 1}${named ? ` (${named})` : ''} runs`, () => {
      mkdirSync(dir, { recursive: true });
      const file = `${dir}${named ?? `example-${i + 1}.mjs`}`;
      writeFileSync(file, code);
      const r = runNode(file);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const out = r.stdout.split('\n');
      for (const want of expectedLines(code)) expect(out.some((line) => line.startsWith(want))).toBe(true);
    });
  });
});
