// Markers that would silently do nothing: near-misses and marker names in non-JSDoc comments warn, at the tag;
// ordinary JSDoc tags, and marker names in strings or code, stay quiet (fixture: diagnostics/marker-slips).
import { describe, expect, it } from 'vitest';
import { transformModule } from '../../dist/transformer/core/index.js';

const diagnose = (source: string) => transformModule(source, { fileName: '/p/src/a.ts', moduleFormat: 'esm' }).diagnostics
  .map((d) => `${d.line}:${d.column} TS${d.code} ${source.slice(d.start, d.start + d.length)}`);

const jsdocTags = ['param', 'returns', 'return', 'deprecated', 'see', 'example', 'throws', 'type', 'typedef', 'template',
  'since', 'internal', 'public', 'private', 'protected', 'readonly', 'override', 'default', 'link', 'inheritDoc',
  'async', 'module', 'file', 'author', 'version', 'todo', 'ignore', 'beta', 'alpha', 'experimental', 'remarks',
  'category', 'satisfies', 'callback', 'property', 'enum', 'class', 'constructor', 'this', 'yields', 'abstract',
  'hidden', 'event', 'namespace', 'static', 'function', 'method', 'exports', 'license', 'summary', 'description',
  'augments', 'extends', 'implements', 'interface', 'generator', 'package', 'alias', 'const', 'pure', 'jsx',
  'vitest', 'unstable', 'inline', 'sealed', 'bound', 'unused', 'unsupported', 'iterator'];

describe('marker slips', () => {
  it('no warning for common JSDoc tags, however many', () => {
    const source = jsdocTags.map((t, i) => `/** @${t} x */\nexport function f${i}(x: number) { return x; }\n`).join('');
    expect(diagnose(source)).toEqual([]);
  });

  it('no warning for marker names in strings, templates, regexes or code', () => {
    const source = [
      "const a = '@cpuBoundFork';",
      'const b = `// @cpuBoundFork ${a}`;',
      'const c = /@cpuBoundFrok/;',
      'const d = { cpuBoundFork: 1, "@ioBoundFork": 2 };',
      'const user = "me@cpuBoundFork.dev"; // mail me@cpuBoundFork.dev',
      'console.log(a, b, c, d, user);',
      '',
    ].join('\n');
    expect(diagnose(source)).toEqual([]);
  });

  it('underlines the tag, and warns once per tag', () => {
    const source = '/** Doubles.\n *  @cpuBoundFrok\n */\nexport function double(x: number) { return x * 2; }\n';
    expect(diagnose(source)).toEqual(['2:5 TS97017 @cpuBoundFrok']);
  });

  it('near-misses of every marker, and a case slip stays an error', () => {
    const source = ['cpuBoudFork', 'ioBondFork', 'cpuBund', 'ioBoud', 'unsafr', 'CPUBOUND']
      .map((t, i) => `/** @${t} */\nexport function f${i}(x: number) { return x; }\n`).join('');
    const found = transformModule(source, { fileName: '/p/src/a.ts', moduleFormat: 'esm' }).diagnostics;
    expect(found.map((d) => [d.code, d.severity, d.message.match(/did you mean (@\w+)/)?.[1]])).toEqual([
      [97017, 'warning', '@cpuBoundFork'], [97017, 'warning', '@ioBoundFork'], [97017, 'warning', '@cpuBound'],
      [97017, 'warning', '@ioBound'], [97017, 'warning', '@unsafe'], [97012, 'error', '@cpuBound'],
    ]);
  });
});
