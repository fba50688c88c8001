// tsfork/register and `tsfork run` on programs without markers: what any TypeScript runner must get right
// (type stripping, the specifiers TypeScript users write, CommonJS, stacks at .ts lines, exit codes).
import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeProject, registerEntry, cliEntry, runNode } from './project.js';

const typedProgram = {
  'src/app.ts': [
    "import { twice } from './util.js';",
    "import { greet } from './lib';",
    "import { shout } from './text.ts';",
    'interface Point { x: number }',
    'const p: Point = { x: twice(21) };',
    "console.log(greet('world'), p.x, shout(process.argv.slice(2).join(' ')));",
    'process.exitCode = p.x === 42 ? 3 : 1;',
    '',
  ].join('\n'),
  'src/util.ts': 'export const twice = (n: number): number => n * 2;\n',
  'src/lib/index.ts': 'export function greet(who: string): string { return `hello ${who}`; }\n',
  'src/text.ts': 'export const shout = (s: string): string => s.toUpperCase();\n',
};

describe('tsfork/register', () => {
  it('runs a TypeScript entry with .js, extensionless, directory and .ts specifiers, passing args and exit code', () => {
    const dir = makeProject('register-esm', typedProgram);
    const r = runNode(['--import', registerEntry, 'src/app.ts', 'a', 'b'], dir);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('hello world 42 A B\n');
    expect(r.status).toBe(3);
  });

  it('runs CommonJS TypeScript (package without "type": "module"), nested require() included', () => {
    const dir = makeProject(
      'register-cjs',
      {
        'app.ts': "import { twice } from './util';\nconst n: number = twice(4);\nconsole.log(typeof module, n, require('./plain.cts').tag);\n",
        'util.ts': 'export const twice = (n: number): number => n * 2;\n',
        'plain.cts': "export const tag: string = 'cts';\n",
      },
      { type: 'commonjs' },
    );
    const r = runNode(['--import', registerEntry, 'app.ts'], dir);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('object 8 cts\n');
    expect(r.status).toBe(0);
  });

  it('points stack traces at the .ts line and column of the throw', () => {
    const dir = makeProject('register-stack', {
      'app.ts': 'type Id = string;\nconst id: Id = "x";\nfunction fail(reason: string): never {\n  throw new RangeError(reason + id);\n}\nfail("bad ");\n',
    });
    const r = runNode(['--import', registerEntry, 'app.ts'], dir);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('RangeError: bad x');
    expect(r.stderr).toMatch(/at fail \(.*app\.ts:4:9\)/);
  });
});

const forking = {
  'app.ts': [
    "import { cube } from './cube.js';",
    '/** @cpuBoundFork */',
    'function square(n: number): number {',
    '  return n * n;',
    '}',
    "console.log([1, 2, 3].map((n) => square(n)).join(','), cube(2) + cube(3));",
    '',
  ].join('\n'),
  'cube.ts': '/** @cpuBoundFork */\nexport function cube(n: number): number {\n  return n * n * n;\n}\n',
};

describe('tsfork/register worker modules and caches', () => {
  it('serves worker modules from a TSFORK_CACHE_DIR outside the project, bare imports included', () => {
    const dir = makeProject('register-cache-dir', forking);
    const cache = mkdtempSync(join(tmpdir(), 'tsfork-test-cache-'));
    try {
      const r = runNode(['--import', registerEntry, 'app.ts'], dir, 60_000, { TSFORK_CACHE_DIR: cache });
      expect(r.stderr).toBe('');
      expect(r.stdout).toBe('1,4,9 35\n');
      const [perPackage] = readdirSync(cache);
      const modules = readdirSync(join(cache, perPackage!, 'modules'));
      expect(modules.some((m) => m.endsWith('-app.tsfork-worker.mjs'))).toBe(true);
      expect(modules.some((m) => m.endsWith('-cube.tsfork-worker.mjs'))).toBe(true);
      expect(existsSync(join(dir, 'node_modules/.cache'))).toBe(false);
    } finally {
      rmSync(cache, { recursive: true, force: true });
    }
  });

  it('reuses compiled modules, and recompiles a caller when an imported module changes its markers', () => {
    const dir = makeProject('register-compile-cache', forking);
    const first = runNode(['--import', registerEntry, 'app.ts'], dir);
    expect(first.stdout).toBe('1,4,9 35\n');
    const compiled = join(dir, 'node_modules/.cache/tsfork/compiled');
    const consultingCube = () =>
      readdirSync(compiled)
        .map((f) => JSON.parse(readFileSync(join(compiled, f), 'utf8')) as { consulted: { path: string }[]; result: { code: string } })
        .filter((e) => e.consulted.some((c) => c.path.endsWith('cube.ts')));
    expect(readdirSync(compiled)).toHaveLength(2);
    const [appBefore] = consultingCube();
    expect(appBefore).toBeDefined();
    expect(runNode(['--import', registerEntry, 'app.ts'], dir).stdout).toBe('1,4,9 35\n');
    expect(readdirSync(compiled)).toHaveLength(2);
    // cube.ts loses its marker: app.ts is compiled again (its calls to cube are plain calls now).
    writeFileSync(join(dir, 'cube.ts'), 'export function cube(n: number): number {\n  return n * n * n;\n}\n');
    const after = runNode(['--import', registerEntry, 'app.ts'], dir);
    expect(after.stdout).toBe('1,4,9 35\n');
    const [appAfter] = consultingCube();
    expect(appAfter!.result.code).not.toBe(appBefore!.result.code);
  });
});

describe('tsfork run', () => {
  it('runs the entry like node --import tsfork/register, with args and exit code', () => {
    const dir = makeProject('run-basic', typedProgram);
    const r = runNode([cliEntry, 'run', 'src/app', 'x'], dir);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('hello world 42 X\n');
    expect(r.status).toBe(3);
  });

  it('names a missing entry and exits 2', () => {
    const dir = makeProject('run-missing', {});
    const r = runNode([cliEntry, 'run', 'nope.ts'], dir);
    expect(r.stderr).toContain("cannot find the entry 'nope.ts'");
    expect(r.status).toBe(2);
  });
});
