// Every ```js example in README.md's runtime and parallel sections runs as is, and prints what its comments say.
import { describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runNode } from './helpers.js';

const readme = readFileSync(fileURLToPath(new URL('../../README.md', import.meta.url)), 'utf8');

function section(name: string): string {
  const start = readme.indexOf(`<!-- section:${name} -->`);
  const end = readme.indexOf(`<!-- /section:${name} -->`);
  if (start < 0 || end < start) throw new Error(`README.md has no section:${name} markers`);
  return readme.slice(start, end);
}

const CONSOLE_LOG = /^\s*console\.log\(.*\);/;
const COMMENT = /^\s*\/\/ (.*)$/;

/**
 * The exact stdout lines an example promises, in order: for a `console.log(...);` statement line, the whole
 * comment after it on the same line (`console.log(x); // 42`), or else a comment line right below it.
 */
export function expectedLines(code: string): string[] {
  const lines = code.split('\n');
  const want: string[] = [];
  lines.forEach((line, i) => {
    if (!CONSOLE_LOG.test(line)) return;
    const rest = line.replace(CONSOLE_LOG, '');
    const same = /^\s*\/\/ (.*)$/.exec(rest);
    const below = COMMENT.exec(lines[i + 1] ?? '');
    if (same) want.push(same[1]!.trimEnd());
    else if (rest.trim() === '' && below) want.push(below[1]!.trimEnd());
  });
  return want;
}

/** Index in `out` of each expected line, matched whole and in order (-1 from the first one missing). */
function matchInOrder(out: string[], want: string[]): Array<[string, boolean]> {
  let at = 0;
  return want.map((w) => {
    const i = out.indexOf(w, at);
    if (i >= 0) at = i + 1;
    return [w, i >= 0];
  });
}

describe('expectedLines', () => {
  it('takes the whole comment, or the comment line below', () => {
    expect(expectedLines([
      'console.log(f(1)); // 42',
      'console.log(g());',
      '// [ 2, 4 ]: all of it',
      'f(2); // not printed, not checked',
      'console.log(h());',
      'const x = 1;',
    ].join('\n'))).toEqual(['42', '[ 2, 4 ]: all of it']);
  });
  it('matches whole lines in order', () => {
    expect(matchInOrder(['42', '420', 'b'], ['42', 'b'])).toEqual([['42', true], ['b', true]]);
    expect(matchInOrder(['420'], ['42'])).toEqual([['42', false]]);
    expect(matchInOrder(['b', 'a'], ['a', 'b'])).toEqual([['a', true], ['b', false]]);
  });
});

for (const [name, minimum] of [['runtime', 8], ['parallel', 6]] as const) {
  const blocks = [...section(name).matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]!);
  const dir = fileURLToPath(new URL(`../.tmp/readme-${name}/`, import.meta.url));

  describe(`README ${name} examples`, () => {
    it('has examples', () => expect(blocks.length).toBeGreaterThanOrEqual(minimum));

    blocks.forEach((code, i) => {
      const named = /^\/\/ (\S+\.mjs)/.exec(code)?.[1];
      it(`example ${i + 1}${named ? ` (${named})` : ''} runs and prints what its comments say`, () => {
        mkdirSync(dir, { recursive: true });
        // An example of several files marks each with a `// name.mjs` line; the last one is the program to run.
        const parts = code.split(/^(?=\/\/ \S+\.mjs\n)/m).filter((p) => p.trim() !== '');
        let file = `${dir}${named ?? `example-${i + 1}.mjs`}`;
        for (const part of parts.length > 1 ? parts : [code]) {
          if (parts.length > 1) file = `${dir}${/^\/\/ (\S+\.mjs)/.exec(part)![1]}`;
          writeFileSync(file, part);
        }
        const r = runNode(file);
        expect(r.stderr).toBe('');
        expect(r.code).toBe(0);
        const want = expectedLines(code);
        const out = r.stdout.split('\n');
        expect(matchInOrder(out, want), `stdout was:\n${r.stdout}`).toEqual(want.map((w) => [w, true]));
      });
    });
  });
}
