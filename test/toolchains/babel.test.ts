// tsfork/babel through @babel/cli, the way users build: `babel src -d dist --extensions .ts`.
// Each program is also built without the plugin (the sequential program) and both must print the same.
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { babelCli, babelPlugin, makeProject, runNode } from './project.js';

const program = {
  'src/app.ts': [
    "import { score } from './score.js';",
    '',
    '/** @cpuBoundFork */',
    'function collatz(limit: number): number {',
    '  let longest = 0;',
    '  for (let n = 1; n < limit; n++) {',
    '    let steps = 0;',
    '    for (let x = n; x !== 1; x = x % 2 ? 3 * x + 1 : x / 2) steps++;',
    '    if (steps > longest) longest = steps;',
    '  }',
    '  return longest;',
    '}',
    '',
    'const limits: number[] = [20_000, 30_000, 40_000, 50_000];',
    'const longest = limits.map((l) => collatz(l));',
    "console.log(longest.join(' '), typeof longest[0]);",
    "console.log(score('ab') + score('abc'));",
    'process.exitCode = 4;',
    '',
  ].join('\n'),
  'src/score.ts': [
    "console.log('score module loaded');",
    '/** @cpuBoundFork */',
    'export function score(word: string): number {',
    '  let s = 0;',
    '  for (let i = 0; i < 200_000; i++) s = (s * 31 + word.charCodeAt(i % word.length)) % 1_000_003;',
    '  return s;',
    '}',
    '',
  ].join('\n'),
};

function babelConfig(dir: string, plugins: unknown[]): void {
  writeFileSync(join(dir, 'babel.config.json'), JSON.stringify({ presets: ['@babel/preset-typescript'], plugins }));
}

function build(dir: string, outDir: string, extra: string[] = []) {
  const r = runNode([babelCli, 'src', '-d', outDir, '--extensions', '.ts', ...extra], dir);
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
}

describe('tsfork/babel', () => {
  it('builds ES modules that print what the sequential build prints, worker modules next to the outputs', () => {
    const dir = makeProject('babel-esm', program);
    babelConfig(dir, []);
    build(dir, 'sequential');
    babelConfig(dir, [babelPlugin]);
    build(dir, 'dist');
    expect(existsSync(join(dir, 'dist/app.tsfork-worker.mjs'))).toBe(true);
    expect(existsSync(join(dir, 'dist/score.tsfork-worker.mjs'))).toBe(true);
    expect(readFileSync(join(dir, 'dist/app.js'), 'utf8')).toContain('__tsfork.fork(collatz');
    const sequential = runNode(['sequential/app.js'], dir);
    const parallel = runNode(['dist/app.js'], dir);
    expect(sequential.stdout).toMatch(/^score module loaded\n\d+ \d+ \d+ \d+ number\n\d+\n$/);
    expect(parallel.stdout).toBe(sequential.stdout);
    expect(parallel.stderr).toBe('');
    expect([parallel.status, sequential.status]).toEqual([4, 4]);
  });

  it('builds CommonJS when Babel converts modules (worker modules .cjs)', () => {
    const dir = makeProject('babel-cjs', program, { type: 'commonjs' });
    babelConfig(dir, ['@babel/plugin-transform-modules-commonjs']);
    build(dir, 'sequential');
    babelConfig(dir, [babelPlugin, '@babel/plugin-transform-modules-commonjs']);
    build(dir, 'dist');
    expect(existsSync(join(dir, 'dist/app.tsfork-worker.cjs'))).toBe(true);
    expect(readFileSync(join(dir, 'dist/app.js'), 'utf8')).toMatch(/require\("tsfork"\)[\s\S]*__tsfork\.fork\(collatz/);
    const sequential = runNode(['sequential/app.js'], dir);
    const parallel = runNode(['dist/app.js'], dir);
    expect(parallel.stderr).toBe('');
    expect(parallel.stdout).toBe(sequential.stdout);
    expect(parallel.status).toBe(4);
  });

  describe('decorators with @babel/preset-typescript alone', () => {
    const geometry = [
      "import { cpuBoundFork, ioBoundFork, join } from 'tsfork';",
      '',
      'export class Geometry {',
      '  @cpuBoundFork',
      '  static area(w: number, h: number): number {',
      '    let a = 0;',
      '    for (let i = 0; i < w; i++) a += h;',
      '    return a;',
      '  }',
      '  @ioBoundFork static async label(n: number): Promise<string> { return `n=${n}`; }',
      '  static perimeter(w: number, h: number): number { return 2 * (w + h); }',
      '}',
      '',
      'const a = Geometry.area(3000, 4);',
      'const b = Geometry.area(5, 6);',
      'console.log(String(a + b), a * 1 === 12000, Geometry.perimeter(1, 2), join(Geometry.area(1, 1)));',
      'console.log(await Geometry.label(7));',
      '',
    ].join('\n');

    it('@cpuBoundFork / @ioBoundFork static methods build without the decorators plugin and fork', () => {
      const dir = makeProject('babel-decorators', { 'src/app.ts': geometry });
      babelConfig(dir, [babelPlugin]);
      build(dir, 'dist');
      const out = readFileSync(join(dir, 'dist/app.js'), 'utf8');
      expect(out).not.toMatch(/@(cpu|io)BoundFork/);
      const r = runNode(['dist/app.js'], dir, 60_000, { TSFORK_STATS: '1' });
      expect(r.stdout).toBe('12030 true 6 1\nn=7\n');
      expect(r.status).toBe(0);
      expect(r.stderr).toMatch(/tsfork: \d+ tasks ran/);
    });

    it('prints what the same program prints built with @babel/plugin-proposal-decorators (the standard semantics)', () => {
      const dir = makeProject('babel-decorators-standard', { 'src/app.ts': geometry });
      babelConfig(dir, [babelPlugin, ['@babel/plugin-proposal-decorators', { version: '2023-11' }]]);
      build(dir, 'dist');
      const r = runNode(['dist/app.js'], dir);
      expect(r.stdout).toBe('12030 true 6 1\nn=7\n');
      expect(r.status).toBe(0);
    });

    it('another decorator is an error naming it and its file:line, telling to add the decorators plugin', () => {
      const dir = makeProject('babel-foreign-decorator', {
        'src/app.ts': [
          "import { cpuBoundFork } from 'tsfork';",
          'function logged(value: unknown, _context: unknown) { return value; }',
          'class Shapes {',
          '  @cpuBoundFork static area(w: number, h: number): number { return w * h; }',
          '  @logged static name(): string { return "shapes"; }',
          '}',
          'console.log(Shapes.name());',
          '',
        ].join('\n'),
      });
      babelConfig(dir, [babelPlugin]);
      const r = runNode([babelCli, 'src', '-d', 'dist', '--extensions', '.ts'], dir);
      expect(r.status).not.toBe(0);
      expect(r.stderr).toContain('src/app.ts:5:3: decorator @logged needs @babel/plugin-proposal-decorators');
      expect(r.stderr).toContain('["@babel/plugin-proposal-decorators", { "version": "2023-11" }]');
      expect(r.stderr).toContain('tsfork/babel rewrites only its own @cpuBoundFork and @ioBoundFork');
    });

    it('a tsfork decorator on anything but a static method is the core\'s placement error (97008), in a class expression too', () => {
      const dir = makeProject('babel-decorator-placement', {
        'src/app.ts': [
          "import { cpuBoundFork } from 'tsfork';",
          'const Shapes = class {',
          '  @cpuBoundFork area(w: number, h: number): number { return w * h; }',
          '};',
          'console.log(new Shapes().area(1, 2));',
          '',
        ].join('\n'),
      });
      babelConfig(dir, [babelPlugin]);
      const r = runNode([babelCli, 'src', '-d', 'dist', '--extensions', '.ts'], dir);
      expect(r.status).not.toBe(0);
      expect(r.stderr).toContain('src/app.ts:3:3 - error TS97008: @cpuBoundFork marks a function declaration, a const bound to an arrow function or function expression, or (as a decorator) a static method; here it is on an instance method');
    });
  });

  it('transforms plain JavaScript sources too', () => {
    const js = {
      'src/app.js': [
        '/** @cpuBoundFork */',
        'function square(n) {',
        '  return n * n;',
        '}',
        'console.log([1, 2, 3].map(square).join(","), square(4) + square(5));',
        '',
      ].join('\n'),
    };
    const dir = makeProject('babel-js', js);
    babelConfig(dir, [babelPlugin]);
    const r = runNode([babelCli, 'src', '-d', 'dist'], dir);
    expect(r.status).toBe(0);
    expect(readFileSync(join(dir, 'dist/app.js'), 'utf8')).toContain('__tsfork.fork(square');
    const ran = runNode(['dist/app.js'], dir);
    expect(ran.stdout).toBe('1,4,9 41\n');
  });

  it('maps stacks to the .ts source with --source-maps', () => {
    const dir = makeProject('babel-maps', {
      'src/app.ts': [
        '/** @cpuBoundFork */',
        'function half(n: number): number {',
        '  return n / 2;',
        '}',
        'const h: number = half(8) + half(2);',
        'if (h === 5) {',
        "  throw new TypeError('mapped ' + h);",
        '}',
        '',
      ].join('\n'),
    });
    babelConfig(dir, [babelPlugin]);
    build(dir, 'dist', ['--source-maps']);
    const r = runNode(['--enable-source-maps', 'dist/app.js'], dir);
    expect(r.stderr).toContain('TypeError: mapped 5');
    expect(r.stderr).toMatch(/src\/app\.ts:7:9/);
  });

  it('returns worker modules in metadata when no output directory is known (transformSync)', () => {
    const dir = makeProject('babel-api', program);
    const babel = createRequire(join(dir, 'package.json'))('@babel/core') as {
      transformFileSync(file: string, options: object): { code: string; metadata: { tsforkWorkers?: { fileName: string; code: string }[] } };
    };
    const out = babel.transformFileSync(join(dir, 'src/app.ts'), {
      configFile: false,
      presets: ['@babel/preset-typescript'],
      plugins: [babelPlugin],
    });
    const workers = out.metadata.tsforkWorkers ?? [];
    expect(workers.map((w) => w.fileName)).toEqual([join(dir, 'src/app.tsfork-worker.mjs')]);
    expect(workers[0]!.code).toContain('export function collatz');
    expect(existsSync(join(dir, 'src/app.tsfork-worker.mjs'))).toBe(false);
  });

  it('writes worker modules under the outDir option (bundlers and scripts that write outputs themselves)', () => {
    const dir = makeProject('babel-outdir', program);
    const babel = createRequire(join(dir, 'package.json'))('@babel/core') as { transformFileSync(file: string, options: object): unknown };
    babel.transformFileSync(join(dir, 'src/app.ts'), {
      configFile: false,
      cwd: dir,
      presets: ['@babel/preset-typescript'],
      plugins: [[babelPlugin, { outDir: join(dir, 'out'), rootDir: join(dir, 'src') }]],
    });
    expect(existsSync(join(dir, 'out/app.tsfork-worker.mjs'))).toBe(true);
  });
});
