// The TypeScript front end as users run it: tspc with the plugins line, and `tsfork build` without it.
// Diagnostics are tsc diagnostics with file:line:col and fail the build; warnings do not.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { layOut, repoRoot, runNode } from '../exec/project.js';

const tspc = join(repoRoot, 'node_modules', '.bin', 'tspc');
const cli = join(repoRoot, 'dist', 'cli', 'index.js');

function project(name: string, files: Record<string, string>, options: Record<string, unknown> = {}, plugin = true): string {
  const root = layOut(`tspc-${name}`, 'esm', [{ name: 'src', main: 'main.ts', files }]);
  writeFileSync(join(root, 'tsconfig.json'), JSON.stringify({
    compilerOptions: {
      target: 'es2022', module: 'nodenext', moduleResolution: 'nodenext', strict: true, rootDir: 'cases', outDir: 'dist',
      types: ['node'], skipLibCheck: true, ...options,
      ...(plugin ? { plugins: [{ transform: 'tsfork/transformer', transformProgram: true }] } : {}),
    },
    include: ['cases'],
  }));
  return root;
}

function run(cmd: string[], cwd: string) {
  const r = spawnSync(cmd[0]!, cmd.slice(1), { cwd, encoding: 'utf8' });
  return { status: r.status, out: (r.stdout + r.stderr).replace(/.*ExperimentalWarning.*\n?|.*--trace-warnings.*\n?/g, '') };
}

const badCapture = `export function run(): number {
  let total = 1;
  /** @cpuBoundFork */
  const add = (x: number) => x + total;
  total = 5;
  return add(1);
}
`;

describe('tspc diagnostics', () => {
  it('a reassigned capture fails the build with file:line:col and the core text', () => {
    const root = project('bad-capture', { 'main.ts': badCapture });
    const r = run([tspc, '-p', '.'], root);
    expect(r.status).not.toBe(0);
    expect(r.out).toContain("cases/src/main.ts(4,34): error TS97001: 'add' runs in a worker and captures 'total', which is reassigned");
  });

  it('tsfork build reports the same text and exits 2', () => {
    const root = project('bad-capture-cli', { 'main.ts': badCapture }, {}, false);
    const r = run([process.execPath, cli, 'build', '-p', 'tsconfig.json', '--no-pretty'], root);
    expect(r.status).toBe(2);
    expect(r.out).toContain("cases/src/main.ts(4,34): error TS97001: 'add' runs in a worker and captures 'total', which is reassigned");
  });

  it('a capture whose static type cannot be cloned is an error (checked with the program\'s types)', () => {
    const root = project('uncloneable', {
      'main.ts': `export class Vec { constructor(readonly x: number) {} len(): number { return this.x; } }
export function run(names: string[]): number {
  const pending: Promise<number> = Promise.resolve(1);
  const shape = { width: 2, area(): number { return 4; } };
  const v = new Vec(1);
  const seen = new Map<string, Date[]>();
  /** @cpuBoundFork */
  const use = (x: number) => x + String(pending).length + shape.width + v.len() + names.length + seen.size;
  return use(1);
}
`,
    });
    const r = run([tspc, '-p', '.'], root);
    expect(r.status).not.toBe(0);
    expect(r.out).toContain("main.ts(8,41): error TS97005: 'use' runs in a worker and captures 'pending', whose type cannot be structured-cloned to a worker: 'pending' is a Promise ('Promise<number>').");
    expect(r.out).toContain("main.ts(8,59): error TS97005: 'use' runs in a worker and captures 'shape', whose type cannot be structured-cloned to a worker: 'shape.area' is a function ('() => number').");
    expect(r.out).toContain("main.ts(8,73): error TS97005: 'use' runs in a worker and captures 'v', whose type cannot be structured-cloned to a worker: 'v' is an instance of class 'Vec', whose methods (len) a worker would not have");
    // string[] and Map<string, Date[]> clone: no error for them (issue 9: string[] was refused for Array's toString)
    expect(r.out.match(/TS97005/g)).toHaveLength(3);
  });

  it('a warning is printed and the build still succeeds; type errors are those of the code as written', () => {
    const root = project('warning', {
      'main.ts': `let mode = 'fast';
/** @cpuBoundFork */
function describe(x: number): string {
  return mode + x;
}
mode = 'slow';
console.log(describe(2));
`,
    });
    const r = run([tspc, '-p', '.'], root);
    expect(r.out).toContain("main.ts(4,10): warning TS97007: 'describe' runs in a worker and reads module-level variable 'mode'");
    expect(r.out).not.toContain('error');
    expect(r.status).toBe(0);
    expect(existsSync(join(root, 'dist', 'src', 'main.tsfork-worker.js'))).toBe(true);
  });
});

describe('tspc incremental builds', () => {
  it('build, edit, rebuild: still forks, and a bad capture still fails the build', () => {
    const root = project('incremental', {
      'main.ts': `/** @cpuBoundFork */
export function twice(n: number): number {
  return n * 2;
}
console.log(twice(2) + twice(3));
`,
    }, { incremental: true, tsBuildInfoFile: 'dist/.tsbuildinfo' });
    expect(run([tspc, '-p', '.'], root)).toEqual({ status: 0, out: '' });
    expect(runNode(root, join('dist', 'src', 'main.js')).stdout).toBe('10\n');
    writeFileSync(join(root, 'cases', 'src', 'main.ts'), badCapture);
    const r = run([tspc, '-p', '.'], root);
    expect(r.out).toContain("main.ts(4,34): error TS97001:");
    expect(r.status).not.toBe(0);
  });
});

describe('tspc output', () => {
  it('forked calls run on worker threads, without source maps, with declarations (no .d.ts for worker modules)', () => {
    const root = project('threads', {
      'main.ts': `import { threadId } from 'node:worker_threads';
/** @cpuBoundFork */
export function where(n: number): number {
  // long enough (100 ms) that the pool's workers have started before the main thread's join runs it itself
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
  return threadId + 0 * n;
}
const ids: number[] = [];
for (let i = 0; i < 8; i++) ids.push(where(i));
console.log(ids.some((id) => id !== 0) ? 'ran on workers' : 'all on the main thread');
`,
    }, { sourceMap: false, declaration: true });
    const b = run([tspc, '-p', '.'], root);
    expect(b.out).toBe('');
    expect(b.status).toBe(0);
    expect(existsSync(join(root, 'dist', 'src', 'main.js.map'))).toBe(false);
    expect(existsSync(join(root, 'dist', 'src', 'main.d.ts'))).toBe(true);
    expect(existsSync(join(root, 'dist', 'src', 'main.tsfork-worker.d.ts'))).toBe(false);
    // The exported function keeps its declared type for TypeScript callers.
    expect(readFileSync(join(root, 'dist', 'src', 'main.d.ts'), 'utf8')).toContain('where(n: number): number');
    const r = runNode(root, join('dist', 'src', 'main.js'));
    expect(r.stderr).toMatch(/^tsfork: [1-9]\d* tasks ran on worker threads, \d+ on the main thread while it joined, \d+ inline \(pool saturated\)\n$/);
    expect(r.stdout).toBe('ran on workers\n');
  });

  it('tsfork build (no plugins line) emits the same parallel program, and tsfork --help lists its commands', () => {
    const root = project('cli-build', {
      'main.ts': `/** @cpuBoundFork */
export function square(n: number): number {
  return n * n;
}
const xs: number[] = [];
for (let i = 1; i <= 6; i++) xs.push(square(i));
console.log(xs.join(' '));
`,
    }, {}, false);
    const b = run([process.execPath, cli, 'build', '-p', 'tsconfig.json'], root);
    expect(b.out).toBe('');
    expect(b.status).toBe(0);
    expect(existsSync(join(root, 'dist', 'src', 'main.tsfork-worker.js'))).toBe(true);
    const r = runNode(root, join('dist', 'src', 'main.js'));
    expect(r.stdout).toBe('1 4 9 16 25 36\n');
    expect(r.stderr).toMatch(/^tsfork: \d+ tasks ran on worker threads/);
    const help = run([process.execPath, cli, '--help'], root);
    expect(help.status).toBe(0);
    expect(help.out).toMatch(/^\s+tsfork build\b/m);
    expect(help.out).toMatch(/^\s+tsfork run\b/m);
  });

  it('the worker module source map points at the original .ts', () => {
    const root = project('maps', {
      'main.ts': `/** @cpuBoundFork */
export function twice(n: number): number {
  return n * 2;
}
console.log(twice(2) + twice(3));
`,
    }, { sourceMap: true });
    expect(run([tspc, '-p', '.'], root).status).toBe(0);
    const map = JSON.parse(readFileSync(join(root, 'dist', 'src', 'main.tsfork-worker.js.map'), 'utf8')) as { sources: string[] };
    expect(map.sources).toEqual(['../../cases/src/main.ts']);
    expect(runNode(root, join('dist', 'src', 'main.js')).stdout).toBe('10\n');
  });
});
