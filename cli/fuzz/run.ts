// The fuzzer's builds and runs: many programs per compiler invocation (one folder per program in a batch
// project), then every built program in its own node process, a few at a time, compared with the plain tsc build.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { printProgram, type Program } from './generate.js';

export type FrontEnd = 'tspc' | 'babel' | 'register';
export const frontEnds: FrontEnd[] = ['tspc', 'babel', 'register'];

/** This repository (dist/cli/fuzz/run.js is three folders down). */
export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const requireFromRepo = createRequire(join(repoRoot, 'package.json'));

export interface Outcome {
  stdout: string;
  status: number | null;
  /** class and message of the uncaught error node printed, if any */
  uncaught?: string;
  timedOut?: boolean;
  stderr: string;
}

export interface Divergence {
  seed: number;
  frontEnd: FrontEnd;
  /** what kind of difference, stable across programs with the same bug: the key findings are grouped by */
  signature: string;
  detail: string;
}

export interface BatchResult {
  /** seeds whose plain tsc build failed: the generator made an invalid program (a fuzzer bug) */
  invalid: { seed: number; errors: string }[];
  divergences: Divergence[];
  ran: number;
}

interface Options { root: string; jobs: number; timeoutMs: number; frontEnds: FrontEnd[] }

const dirOf = (seed: number) => `s${seed}`;

function tsconfig(outDir: string, plugin: boolean) {
  return JSON.stringify({
    compilerOptions: {
      target: 'es2022', module: 'nodenext', moduleResolution: 'nodenext', strict: true, rootDir: 'src', outDir,
      types: ['node'], skipLibCheck: true, lib: ['es2023'],
      ...(plugin ? { plugins: [{ transform: 'tsfork/transformer', transformProgram: true }] } : {}),
    },
    include: ['src'],
  });
}

/** Errors a compiler printed (`src/s12/main.ts(3,4): error TS2322: ...`), by program seed. */
function errorsBySeed(output: string): Map<number, string[]> {
  const out = new Map<number, string[]>();
  for (const l of output.split('\n')) {
    const m = /^src[\\/]s(\d+)[\\/].*?error (TS\d+.*)$/.exec(l.trim()) ?? /src[\\/]s(\d+)[\\/]\S*:\d+:\d+ - error (TS\d+.*)$/.exec(l.trim());
    if (!m) continue;
    const seed = Number(m[1]);
    out.set(seed, [...(out.get(seed) ?? []), m[2]!]);
  }
  return out;
}

function layOut(root: string, programs: Program[]): void {
  rmSync(root, { recursive: true, force: true });
  mkdirSync(join(root, 'node_modules'), { recursive: true });
  symlinkSync(repoRoot, join(root, 'node_modules', 'tsfork'), 'dir');
  writeFileSync(join(root, 'package.json'), JSON.stringify({ private: true, type: 'module' }));
  writeFileSync(join(root, 'tsconfig.tsc.json'), tsconfig('out/tsc', false));
  writeFileSync(join(root, 'tsconfig.tspc.json'), tsconfig('out/tspc', true));
  for (const p of programs) {
    for (const [file, text] of Object.entries(printProgram(p))) {
      const path = join(root, 'src', dirOf(p.seed), file);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, text);
    }
  }
}

function compile(root: string, bin: string, config: string): string {
  const r = spawnSync(process.execPath, [bin, '-p', config, '--pretty', 'false'], { cwd: root, encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.error) throw r.error;
  return (r.stdout ?? '') + (r.stderr ?? '');
}

/** One Babel pass over every program, in this process (a file's error is that program's, not the batch's). */
function babelBuild(root: string, programs: Program[]): Map<number, string> {
  const babel = requireFromRepo('@babel/core') as { transformFileSync(path: string, options: object): { code?: string | null } | null };
  const plugin = join(repoRoot, 'dist/transformer/babel/index.js');
  const failed = new Map<number, string>();
  const src = join(root, 'src');
  const outDir = join(root, 'out', 'babel');
  for (const p of programs) {
    for (const file of Object.keys(p.files)) {
      const path = join(src, dirOf(p.seed), file);
      try {
        const r = babel.transformFileSync(path, {
          babelrc: false, configFile: false, cwd: root,
          presets: [requireFromRepo.resolve('@babel/preset-typescript')],
          // Standard decorators are not in the TypeScript preset; Babel needs this plugin for @cpuBoundFork statics.
          plugins: [[plugin, { outDir, rootDir: src }], [requireFromRepo.resolve('@babel/plugin-proposal-decorators'), { version: '2023-11' }]],
        });
        const out = join(outDir, relative(src, path)).replace(/\.ts$/, '.js');
        mkdirSync(dirname(out), { recursive: true });
        writeFileSync(out, r?.code ?? '');
      } catch (e) {
        const text = e instanceof Error ? e.message : String(e);
        failed.set(p.seed, (failed.get(p.seed) ?? '') + text + '\n');
      }
    }
  }
  return failed;
}

/** `Name: message` of the uncaught error node printed: the line above the stack's first `at` line. */
export function uncaughtOf(stderr: string): string | undefined {
  const lines = stderr.split('\n');
  const at = lines.findIndex((l) => /^\s+at /.test(l));
  for (let i = at - 1; i >= 0 && at >= 0; i--) {
    const m = /^([A-Za-z_$][\w$]*)(?: \[[^\]]*\])?: (.*)$/.exec(lines[i]!);
    if (m) return `${m[1]}: ${m[2]}`;
  }
  const bare = /^Uncaught (.*)$/m.exec(stderr);
  return bare ? bare[1] : undefined;
}

// Two I/O workers (the default is at least 4): each program starts its own pools, and start-up is most of its time.
function runOne(cwd: string, args: string[], timeoutMs: number): Promise<Outcome> {
  return new Promise((done) => {
    const child = spawn(process.execPath, args, { cwd, env: { ...process.env, NODE_OPTIONS: '', TSFORK_IO_WORKERS: process.env.TSFORK_IO_WORKERS ?? '2' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '', stderr = '', timedOut = false;
    child.stdout.setEncoding('utf8').on('data', (d: string) => { stdout += d; });
    child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
    const timer = setTimeout(() => { timedOut = true; child.kill('SIGKILL'); }, timeoutMs);
    child.on('close', (status) => {
      clearTimeout(timer);
      done({ stdout, stderr, status, timedOut, uncaught: uncaughtOf(stderr) });
    });
  });
}

async function pool<T>(jobs: number, tasks: (() => Promise<T>)[]): Promise<T[]> {
  const out: T[] = new Array(tasks.length);
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(jobs, tasks.length) }, async () => {
    while (next < tasks.length) { const i = next++; out[i] = await tasks[i]!(); }
  }));
  return out;
}

function firstDifference(a: string, b: string): string {
  const x = a.split('\n'), y = b.split('\n');
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    if (x[i] !== y[i]) return `line ${i + 1}: tsc ${JSON.stringify(x[i] ?? '<end>')} vs ${JSON.stringify(y[i] ?? '<end>')}`;
  }
  return '';
}

/** A message with its numbers and names taken out, so one bug in many programs is one finding. */
export function normalize(message: string): string {
  return message.replace(/\(\d+:\d+\)/g, '').replace(/'[^']*'/g, "'_'").replace(/\d+/g, 'N').trim();
}

/** What differs between the plain tsc run and a front end's run, as a signature and a detail; undefined: nothing. */
export function compare(seq: Outcome, par: Outcome): { signature: string; detail: string } | undefined {
  if (par.timedOut && !seq.timedOut) return { signature: 'timeout', detail: `stderr: ${par.stderr.slice(0, 400)}` };
  const seqErr = seq.status === 0 ? undefined : seq.uncaught;
  const parErr = par.status === 0 ? undefined : par.uncaught;
  if (seqErr !== parErr) {
    const detail = `uncaught: tsc ${seqErr ?? 'none'} vs ${parErr ?? 'none'}${parErr ? '' : ''}\n${par.stderr.slice(0, 600)}`;
    // Grouped by the front end's error alone when the tsc run ended normally or by a different error.
    return { signature: `uncaught ${seqErr === undefined ? 'none' : 'other'} -> ${parErr === undefined ? 'none' : normalize(parErr).slice(0, 60)}`, detail };
  }
  if (seq.stdout !== par.stdout) return { signature: 'stdout', detail: firstDifference(seq.stdout, par.stdout) };
  if (seq.status !== par.status) return { signature: `exit ${seq.status} -> ${par.status}`, detail: par.stderr.slice(0, 600) };
  return undefined;
}

/** Builds the programs with plain tsc and each front end, runs every build, and returns what differs. */
export async function runBatch(programs: Program[], options: Options): Promise<BatchResult> {
  const { root, frontEnds: fes } = options;
  layOut(root, programs);
  const tscOut = compile(root, requireFromRepo.resolve('typescript/bin/tsc'), 'tsconfig.tsc.json');
  const invalidBySeed = errorsBySeed(tscOut);
  if (invalidBySeed.size === 0 && /error/.test(tscOut)) throw new Error(`plain tsc failed on the batch in ${root}:\n${tscOut}`);
  const buildErrors = new Map<FrontEnd, Map<number, string>>();
  if (fes.includes('tspc')) {
    const out = compile(root, requireFromRepo.resolve('ts-patch/bin/tspc.js'), 'tsconfig.tspc.json');
    buildErrors.set('tspc', new Map([...errorsBySeed(out)].map(([s, e]) => [s, e.join('\n')])));
  }
  if (fes.includes('babel')) buildErrors.set('babel', babelBuild(root, programs));

  const valid = programs.filter((p) => !invalidBySeed.has(p.seed));
  const divergences: Divergence[] = [];
  const tasks: (() => Promise<void>)[] = [];
  const seqRuns = new Map<number, Promise<Outcome>>();
  const { timeoutMs } = options;
  for (const p of valid) {
    const d = dirOf(p.seed);
    let seqDone!: (o: Outcome) => void;
    seqRuns.set(p.seed, new Promise((r) => { seqDone = r; }));
    tasks.push(async () => seqDone(await runOne(root, [`out/tsc/${d}/main.js`], timeoutMs)));
    for (const fe of fes) {
      const err = buildErrors.get(fe)?.get(p.seed);
      if (err !== undefined) {
        const code = /TS\d+/.exec(err)?.[0] ?? normalize(err.split('\n')[0]!.replace(/\/\S*\//g, '')).slice(0, 80);
        divergences.push({ seed: p.seed, frontEnd: fe, signature: `build error ${code}`, detail: err.slice(0, 800) });
        continue;
      }
      const args = fe === 'register' ? ['--import', join(repoRoot, 'dist/transformer/register/index.js'), `src/${d}/main.ts`] : [`out/${fe}/${d}/main.js`];
      tasks.push(async () => {
        const par = await runOne(root, args, timeoutMs);
        const diff = compare(await seqRuns.get(p.seed)!, par);
        if (diff) divergences.push({ seed: p.seed, frontEnd: fe, ...diff });
      });
    }
  }
  await pool(options.jobs, tasks);
  divergences.sort((a, b) => a.seed - b.seed || a.frontEnd.localeCompare(b.frontEnd));
  return {
    invalid: [...invalidBySeed].map(([seed, errors]) => ({ seed, errors: errors.join('\n') })),
    divergences, ran: valid.length,
  };
}

export function ensureDir(dir: string): void { if (!existsSync(dir)) mkdirSync(dir, { recursive: true }); }
