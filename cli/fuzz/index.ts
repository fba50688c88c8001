// `tsfork fuzz` / `npm run fuzz`: differential fuzzing of the transform. Random sequential programs (generate.ts)
// are built with plain tsc and through tspc, Babel and register (run.ts); any difference in stdout, exit code or
// uncaught error is a finding, printed with its seed and a program shrunk by greedy statement deletion.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { generate, printProgram, type Program, type Stmt } from './generate.js';
import { frontEnds as allFrontEnds, repoRoot, runBatch, type Divergence, type FrontEnd } from './run.js';

export const fuzzUsage = `tsfork fuzz [--count N] [--seed S] [--front-ends tspc,babel,register] [--batch B] [--jobs J] [--timeout MS] [--no-shrink] [--work-dir DIR]
  Generates N random programs (seeds S, S+1, ...), builds each with plain tsc and through each front end, runs
  every build and compares stdout, exit code and the uncaught error. Prints each divergence with its seed and a
  shrunk program (also written under test/.tmp/fuzz/findings/). Exit code 1 if anything diverged.
  Reproduce one program: --seed <its seed> --count 1.`;

export interface FuzzOptions {
  count: number;
  seed: number;
  frontEnds: FrontEnd[];
  batch: number;
  jobs: number;
  shrink: boolean;
  timeoutMs: number;
  /** where batches are laid out (default test/.tmp/fuzz in this repository) */
  workDir: string;
  log: (line: string) => void;
}

export interface Finding extends Divergence { seeds: number[]; shrunk?: Record<string, string> }

export interface FuzzReport { ran: number; invalid: { seed: number; errors: string }[]; findings: Finding[] }

const key = (d: Divergence) => `${d.frontEnd}: ${d.signature}`;

/** The deletable statements of the program at one nesting depth (0: top level of each file). */
function statementsAt(p: Program, depth: number): Stmt[] {
  const out: Stmt[] = [];
  const walk = (xs: Stmt[], d: number) => {
    for (const s of xs) {
      if (d === depth && !s.fixed) out.push(s);
      if (d < depth) for (const part of s.parts) if (typeof part !== 'string') walk(part, d + 1);
    }
  };
  for (const f of Object.values(p.files)) walk(f, 0);
  return out;
}

function without(p: Program, drop: Set<Stmt>, seed: number): Program {
  const copy = (xs: Stmt[]): Stmt[] => xs.filter((s) => !drop.has(s)).map((s) => ({ ...s, parts: s.parts.map((q) => (typeof q === 'string' ? q : copy(q))) }));
  // The copy keeps the original statement objects' identity map for the next round: rebuild it from scratch.
  return { seed, files: Object.fromEntries(Object.entries(p.files).map(([f, xs]) => [f, copy(xs)])) };
}

/**
 * Greedy statement deletion, outermost statements first: a round builds every one-statement deletion at one depth
 * in one batch, keeps those that still show the divergence, then tries deleting all of them, either half, or the
 * first alone. The same depth again while that helps, else one level deeper.
 */
async function shrink(p: Program, d: Divergence, o: FuzzOptions): Promise<Program> {
  let best = p;
  const batch = (programs: Program[]) => runBatch(programs, { root: join(o.workDir, 'shrink'), jobs: o.jobs, timeoutMs: o.timeoutMs, frontEnds: [d.frontEnd] });
  const still = (r: { divergences: Divergence[] }) => new Set(r.divergences.filter((x) => key(x) === key(d)).map((x) => x.seed));
  let depth = 0;
  for (let round = 0; round < 8 && depth < 4; round++) {
    const all = statementsAt(best, depth);
    const base = 1_000_000_000 + round * 10_000;
    const singles = all.map((s, i) => ({ drop: new Set([s]), prog: without(best, new Set([s]), base + i) }));
    const keeps = singles.length > 0 ? still(await batch(singles.map((c) => c.prog))) : new Set<number>();
    const kept = singles.filter((c) => keeps.has(c.prog.seed));
    o.log(`  shrink round ${round + 1}: depth ${depth}, ${all.length} statements, ${kept.length} deletions keep it`);
    let winner: Program | undefined;
    if (kept.length === 1) winner = kept[0]!.prog;
    else if (kept.length > 1) {
      const union = (cs: typeof kept) => new Set(cs.flatMap((c) => [...c.drop]));
      const half = Math.ceil(kept.length / 2);
      const combos = [union(kept), union(kept.slice(0, half)), union(kept.slice(half))].map((drop, i) => without(best, drop, base + 5_000 + i));
      const ok = still(await batch(combos));
      winner = combos.find((c) => ok.has(c.seed)) ?? kept[0]!.prog;
    }
    if (winner) best = winner;
    else if (all.length === 0) break;
    else depth++;
  }
  return { ...best, seed: p.seed };
}

export async function fuzz(options: FuzzOptions): Promise<FuzzReport> {
  // Absolute: Babel resolves file names against its cwd (the batch folder), the compilers against theirs.
  const o = { ...options, workDir: resolve(options.workDir) };
  mkdirSync(o.workDir, { recursive: true });
  const report: FuzzReport = { ran: 0, invalid: [], findings: [] };
  const byKey = new Map<string, Finding>();
  for (let first = o.seed; first < o.seed + o.count; first += o.batch) {
    const n = Math.min(o.batch, o.seed + o.count - first);
    const programs = Array.from({ length: n }, (_, i) => generate(first + i));
    const t0 = performance.now();
    const r = await runBatch(programs, { root: join(o.workDir, 'batch'), jobs: o.jobs, timeoutMs: o.timeoutMs, frontEnds: o.frontEnds });
    report.ran += r.ran;
    report.invalid.push(...r.invalid);
    for (const inv of r.invalid) o.log(`seed ${inv.seed}: INVALID program (plain tsc rejects it; a generator bug):\n${inv.errors}`);
    for (const d of r.divergences) {
      const known = byKey.get(key(d));
      if (known) { known.seeds.push(d.seed); continue; }
      const f: Finding = { ...d, seeds: [d.seed] };
      byKey.set(key(d), f);
      report.findings.push(f);
      o.log(`seed ${d.seed}: DIVERGENCE ${key(d)}\n  ${d.detail.replace(/\n/g, '\n  ')}`);
      if (o.shrink) {
        const small = await shrink(generate(d.seed), d, o);
        f.shrunk = printProgram(small);
        const dir = join(o.workDir, 'findings', `${d.seed}-${d.frontEnd}`);
        rmSync(dir, { recursive: true, force: true });
        mkdirSync(dir, { recursive: true });
        for (const [file, text] of Object.entries(f.shrunk)) {
          writeFileSync(join(dir, file), text);
          o.log(`  shrunk ${file}:\n${text.replace(/^/gm, '    ')}`);
        }
      }
    }
    o.log(`seeds ${first}..${first + n - 1}: ${r.ran} ran, ${r.divergences.length} divergences, ${r.invalid.length} invalid (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  }
  o.log(`\n${report.ran} programs ran through ${o.frontEnds.join(', ')}; ${report.invalid.length} invalid; ${report.findings.length} kinds of divergence`);
  for (const f of report.findings) o.log(`  ${key(f)}: ${f.seeds.length} program(s), seeds ${f.seeds.slice(0, 12).join(' ')}${f.seeds.length > 12 ? ' ...' : ''}`);
  return report;
}

function parse(argv: string[]): FuzzOptions | string {
  const o: FuzzOptions = {
    count: 50, seed: 1, frontEnds: allFrontEnds, batch: 50, jobs: 2, shrink: true, timeoutMs: 60_000,
    workDir: join(repoRoot, 'test/.tmp/fuzz'), log: (l) => process.stdout.write(`${l}\n`),
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    const int = (): number => {
      const v = value();
      if (!/^\d+$/.test(v)) throw new Error(`${a} takes a whole number, got '${v}'`);
      return Number(v);
    };
    if (a === '--count') o.count = int();
    else if (a === '--seed') o.seed = int();
    else if (a === '--batch') o.batch = Math.max(1, int());
    else if (a === '--jobs') o.jobs = Math.max(1, int());
    else if (a === '--timeout') o.timeoutMs = int();
    else if (a === '--no-shrink') o.shrink = false;
    else if (a === '--work-dir') o.workDir = value();
    else if (a === '--front-ends') {
      const list = value().split(',').map((s) => s.trim()).filter(Boolean);
      const bad = list.filter((s) => !(allFrontEnds as string[]).includes(s));
      if (bad.length > 0) throw new Error(`unknown front end(s) ${bad.join(', ')}; known: ${allFrontEnds.join(', ')}`);
      o.frontEnds = list as FrontEnd[];
    } else if (a === '--help' || a === '-h') return 'help';
    else throw new Error(`unknown option '${a}'`);
  }
  return o;
}

/** The `tsfork fuzz` command. */
export async function main(argv: string[]): Promise<number> {
  let o: FuzzOptions | string;
  try {
    o = parse(argv);
  } catch (e) {
    process.stderr.write(`tsfork fuzz: ${(e as Error).message}\n${fuzzUsage}\n`);
    return 2;
  }
  if (typeof o === 'string') { process.stdout.write(`${fuzzUsage}\n`); return 0; }
  const r = await fuzz(o);
  return r.findings.length > 0 || r.invalid.length > 0 ? 1 : 0;
}
