// A bad capture reads the same from every front end: tspc, tsfork/babel and tsfork/register all report the
// core's diagnostic with the same code, message, line and column, and none of them runs or emits the program.
import { describe, expect, it, beforeAll } from 'vitest';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { babelCli, babelPlugin, makeProject, registerEntry, repoRoot, runNode } from './project.js';

const bad = [
  'export function run(xs: number[]): number[] {',
  '  let scale = 2;',
  '  /** @cpuBoundFork */',
  '  const f = (x: number) => x * scale;',
  '  scale = 3;',
  '  return xs.map(f);',
  '}',
  "console.log('ran', run([1, 2]));",
  '',
].join('\n');

/** `bad.ts:4:32 - error TS97001: ...` and tsc's non-pretty `bad.ts(4,32): error TS97001: ...`, as one shape. */
function diagnosticsIn(output: string): string[] {
  const found = [...output.matchAll(/bad\.ts(?::(\d+):(\d+) -|\((\d+),(\d+)\):) error TS(\d+): ([^\n]*)/g)];
  return found.map((m) => `${m[1] ?? m[3]}:${m[2] ?? m[4]} TS${m[5]} ${m[6]}`);
}

describe('the same diagnostic from tspc, babel and register', () => {
  let dir = '';
  beforeAll(() => {
    dir = makeProject('diagnostics', { 'src/bad.ts': bad });
  });

  const expected = /^4:32 TS97001 'f' runs in a worker and captures 'scale', which is reassigned/;
  const outputs: Record<string, string> = {};

  it('tspc reports it and fails the build', () => {
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({
      compilerOptions: {
        target: 'es2022', module: 'nodenext', outDir: 'tsc-out', rootDir: 'src', types: ['node'], skipLibCheck: true,
        plugins: [{ transform: 'tsfork/transformer', transformProgram: true }],
      },
      include: ['src'],
    }));
    const r = runNode([join(repoRoot, 'node_modules/ts-patch/bin/tspc.js'), '-p', 'tsconfig.json'], dir);
    expect(r.status).not.toBe(0);
    outputs.tspc = r.stdout + r.stderr;
    expect(diagnosticsIn(outputs.tspc)).toHaveLength(1);
    expect(diagnosticsIn(outputs.tspc)[0]).toMatch(expected);
  });

  it('tsfork/babel reports it with a code frame and writes nothing', () => {
    writeFileSync(join(dir, 'babel.config.json'), JSON.stringify({ presets: ['@babel/preset-typescript'], plugins: [babelPlugin] }));
    const r = runNode([babelCli, 'src', '-d', 'babel-out', '--extensions', '.ts'], dir);
    expect(r.status).not.toBe(0);
    outputs.babel = r.stderr;
    expect(r.stderr).toContain('> 4 |   const f = (x: number) => x * scale;');
    expect(existsSync(join(dir, 'babel-out/bad.js'))).toBe(false);
  });

  it('tsfork/register reports it before any of the program runs', () => {
    const r = runNode(['--import', registerEntry, 'src/bad.ts'], dir);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    outputs.register = r.stderr;
    expect(r.stderr).toContain('4 |   const f = (x: number) => x * scale;');
  });

  it('all three texts are the same', () => {
    const texts = Object.fromEntries(Object.entries(outputs).map(([k, v]) => [k, diagnosticsIn(v)]));
    expect(Object.keys(texts).sort()).toEqual(['babel', 'register', 'tspc']);
    expect(texts.babel).toEqual(texts.tspc);
    expect(texts.register).toEqual(texts.tspc);
  });
});
