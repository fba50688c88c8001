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

/** src/bad.ts with a tsconfig for tspc (the plugins line) and a babel.config.json, both next to it. */
function projectForAllFrontEnds(name: string, source: string): string {
  const dir = makeProject(name, { 'src/bad.ts': source });
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({
    compilerOptions: {
      target: 'es2022', module: 'nodenext', outDir: 'tsc-out', rootDir: 'src', types: ['node'], skipLibCheck: true,
      plugins: [{ transform: 'tsfork/transformer', transformProgram: true }],
    },
    include: ['src'],
  }));
  writeFileSync(join(dir, 'babel.config.json'), JSON.stringify({ presets: ['@babel/preset-typescript'], plugins: [babelPlugin] }));
  return dir;
}

// A syntax error: tsc's parser and the core (for register and `tsfork run`, which have no parser in front of it)
// give TypeScript's own code and text at the .ts line; Babel's parser stops first with its own message and frame.
const broken = [
  '/** @cpuBoundFork */',
  'export function double(x: number): number { return x * 2; }',
  'const x = ;',
  "console.log('ran', double(x));",
  '',
].join('\n');

describe('a syntax error from tspc, babel, register and tsfork run', () => {
  let dir = '';
  beforeAll(() => {
    dir = projectForAllFrontEnds('syntax-error', broken);
  });

  it('tspc: TS1109 at 3:11', () => {
    const r = runNode([join(repoRoot, 'node_modules/ts-patch/bin/tspc.js'), '-p', 'tsconfig.json'], dir);
    expect(r.status).not.toBe(0);
    expect(diagnosticsIn(r.stdout + r.stderr)).toEqual(['3:11 TS1109 Expression expected.']);
  });

  it('register and tsfork run: the same line, with a code frame, and nothing of the program runs', () => {
    for (const args of [['--import', registerEntry, 'src/bad.ts'], [join(repoRoot, 'dist/cli/index.js'), 'run', 'src/bad.ts']]) {
      const r = runNode(args, dir);
      expect(r.status, args.join(' ')).toBe(1);
      expect(r.stdout).toBe('');
      expect(diagnosticsIn(r.stderr)).toEqual(['3:11 TS1109 Expression expected.']);
      expect(r.stderr).toContain('3 | const x = ;');
    }
  });

  it('babel: its parser names the file and line and writes nothing', () => {
    const r = runNode([babelCli, 'src', '-d', 'babel-out', '--extensions', '.ts'], dir);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/bad\.ts: Unexpected token \(3:10\)/);
    expect(r.stderr).toContain('> 3 | const x = ;');
    expect(existsSync(join(dir, 'babel-out/bad.js'))).toBe(false);
  });
});

// A warning: printed by every front end with the same code, position and text, and the program still builds/runs.
const printing = [
  '/** @cpuBoundFork */',
  'export function work(n: number): number {',
  "  console.log('working', n);",
  '  return n;',
  '}',
  'console.log(work(1));',
  '',
].join('\n');

function warningsIn(output: string): string[] {
  const found = [...output.matchAll(/bad\.ts(?::(\d+):(\d+) -|\((\d+),(\d+)\):) warning TS(\d+): ([^\n]*)/g)];
  return [...new Set(found.map((m) => `${m[1] ?? m[3]}:${m[2] ?? m[4]} TS${m[5]} ${m[6]}`))];
}

describe('a warning from tspc, babel and register', () => {
  let dir = '';
  beforeAll(() => {
    dir = projectForAllFrontEnds('warning', printing);
  });

  it('is the same text everywhere, and nothing fails', () => {
    const tspc = runNode([join(repoRoot, 'node_modules/ts-patch/bin/tspc.js'), '-p', 'tsconfig.json'], dir);
    const babel = runNode([babelCli, 'src', '-d', 'babel-out', '--extensions', '.ts'], dir);
    const register = runNode(['--import', registerEntry, 'src/bad.ts'], dir);
    for (const r of [tspc, babel, register]) expect(r.status).toBe(0);
    expect(register.stdout).toBe('working 1\n1\n');
    const expected = [expect.stringMatching(/^3:3 TS97016 'work' runs in a worker and prints \(console\.log\(\)\)/)];
    expect(warningsIn(tspc.stdout + tspc.stderr)).toEqual(expected);
    expect(warningsIn(babel.stderr)).toEqual(warningsIn(tspc.stdout + tspc.stderr));
    expect(warningsIn(register.stderr)).toEqual(warningsIn(tspc.stdout + tspc.stderr));
  });
});

// Markers that mark nothing (a near-miss, a marker in a // or /* */ comment): the same warnings, at the tag, from
// every front end, and the program still builds and runs (sequentially).
const slips = [
  '/** @cpuBoundFrok */',
  'export function a(n: number): number { return n + 1; }',
  '// @cpuBoundFork',
  'export function b(n: number): number { return n + 2; }',
  '/* @cpuBoundFork */',
  'export const c = (n: number): number => n + 3;',
  "console.log(a(1), b(1), c(1), '@cpuBoundFork');",
  '',
].join('\n');

describe('marker slips from tspc, babel and register', () => {
  let dir = '';
  beforeAll(() => {
    dir = projectForAllFrontEnds('marker-slips', slips);
  });

  it('warn at the tag, with the fix, the same everywhere', () => {
    const tspc = runNode([join(repoRoot, 'node_modules/ts-patch/bin/tspc.js'), '-p', 'tsconfig.json'], dir);
    const babel = runNode([babelCli, 'src', '-d', 'babel-out', '--extensions', '.ts'], dir);
    const register = runNode(['--import', registerEntry, 'src/bad.ts'], dir);
    for (const r of [tspc, babel, register]) expect(r.status, r.stderr).toBe(0);
    expect(register.stdout).toBe('2 3 4 @cpuBoundFork\n');
    const expected = [
      '1:5 TS97017 @cpuBoundFrok is not a tsfork marker, so nothing is marked here and the code stays sequential: did you mean @cpuBoundFork?',
      '3:4 TS97018 @cpuBoundFork in a // comment marks nothing: tsfork reads markers from JSDoc comments only. Write /** @cpuBoundFork */.',
      '5:4 TS97018 @cpuBoundFork in a /* */ comment marks nothing: tsfork reads markers from JSDoc comments only. Write /** @cpuBoundFork */.',
    ];
    expect(warningsIn(tspc.stdout + tspc.stderr)).toEqual(expected);
    expect(warningsIn(babel.stderr)).toEqual(expected);
    expect(warningsIn(register.stderr)).toEqual(expected);
  }, 60_000);
});
