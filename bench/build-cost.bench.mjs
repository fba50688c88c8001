// Build cost of the tspc plugin: tspc with `tsfork/transformer` against the same tspc without it, on a generated
// project of FILES modules (interfaces, generic classes, mapped and conditional types, imports between files), in
// two forms: no marked function anywhere, and one marked function in one file. Alternating paired runs (the order
// flips each pair), medians of wall time and of the compiler process's CPU time (user + system, all threads).
// `node bench/build-cost.bench.mjs` (RUNS=9 pairs by default; FILES=150; TSFORK_TRANSFORM=<path of an older
// build's dist/transformer/typescript/index.js> measures that build instead; OUT=<dir> to run two side by side).
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('..', import.meta.url));
const out = process.env.OUT ? resolve(process.env.OUT) : join(repo, 'bench', '.build-cost');
const transform = process.env.TSFORK_TRANSFORM ? resolve(process.env.TSFORK_TRANSFORM) : 'tsfork/transformer';
const RUNS = Number(process.env.RUNS ?? 9);
const FILES = Number(process.env.FILES ?? 150);
const tspc = join(repo, 'node_modules/ts-patch/bin/tspc.js');
const cpuProbe = join(out, 'cpu-probe.cjs');

/** Module i: its own types and a generic class, built on what it imports from up to three earlier modules. */
function moduleText(i, marked) {
  const deps = [i - 1, Math.floor(i / 2), Math.floor(i / 3)].filter((d, k, a) => d >= 0 && d < i && a.indexOf(d) === k);
  const lines = [];
  for (const d of deps) lines.push(`import { Store${d}, type Entity${d}, type Patch${d}, summarize${d} } from './m${d}.js';`);
  lines.push(
    `export interface Entity${i} {`,
    `  id: string;`,
    `  kind: 'a${i}' | 'b${i}' | 'c${i}';`,
    `  score: number;`,
    `  tags: readonly string[];`,
    `  meta: { created: Date; owner?: string; history: Array<{ at: number; by: string }> };`,
    ...deps.map((d) => `  dep${d}?: Entity${d};`),
    `}`,
    `export type Patch${i} = { readonly [K in keyof Entity${i}]?: Entity${i}[K] extends object ? Partial<Entity${i}[K]> : Entity${i}[K] };`,
    `export type Keys${i} = { [K in keyof Entity${i}]-?: Entity${i}[K] extends string | number ? K : never }[keyof Entity${i}];`,
    `export type Event${i} =`,
    `  | { type: 'created'; entity: Entity${i} }`,
    `  | { type: 'patched'; id: string; patch: Patch${i} }`,
    `  | { type: 'removed'; id: string; reason: string };`,
    `type Handler${i}<E extends { type: string }> = { [T in E['type']]: (e: Extract<E, { type: T }>) => number };`,
    `export class Store${i}<T extends { id: string } = Entity${i}> {`,
    `  private readonly items = new Map<string, T>();`,
    `  private readonly listeners: Array<(item: T, old: T | undefined) => void> = [];`,
    `  put(item: T): this {`,
    `    const old = this.items.get(item.id);`,
    `    this.items.set(item.id, item);`,
    `    for (const l of this.listeners) l(item, old);`,
    `    return this;`,
    `  }`,
    `  get(id: string): T | undefined { return this.items.get(id); }`,
    `  where<K extends keyof T>(key: K, value: T[K]): T[] {`,
    `    return [...this.items.values()].filter((x) => x[key] === value);`,
    `  }`,
    `  map<U>(fn: (item: T, index: number) => U): U[] { return [...this.items.values()].map(fn); }`,
    `  reduce<A>(fn: (acc: A, item: T) => A, initial: A): A { let a = initial; for (const x of this.items.values()) a = fn(a, x); return a; }`,
    `  on(listener: (item: T, old: T | undefined) => void): () => void {`,
    `    this.listeners.push(listener);`,
    `    return () => { this.listeners.splice(this.listeners.indexOf(listener), 1); };`,
    `  }`,
    `  get size(): number { return this.items.size; }`,
    `}`,
    `export function apply${i}(e: Entity${i}, p: Patch${i}): Entity${i} {`,
    `  const meta = p.meta ? { ...e.meta, ...p.meta } : e.meta;`,
    `  return { ...e, ...p, meta } as Entity${i};`,
    `}`,
    `const handlers${i}: Handler${i}<Event${i}> = {`,
    `  created: (e) => e.entity.score,`,
    `  patched: (e) => Object.keys(e.patch).length,`,
    `  removed: (e) => e.reason.length,`,
    `};`,
    `export function handle${i}(e: Event${i}): number {`,
    `  switch (e.type) {`,
    `    case 'created': return handlers${i}.created(e);`,
    `    case 'patched': return handlers${i}.patched(e);`,
    `    case 'removed': return handlers${i}.removed(e);`,
    `  }`,
    `}`,
    `export function summarize${i}(store: Store${i}): { count: number; total: number; byKind: Record<Entity${i}['kind'], number> } {`,
    `  const byKind = { a${i}: 0, b${i}: 0, c${i}: 0 } as Record<Entity${i}['kind'], number>;`,
    `  const total = store.reduce((acc, x) => { byKind[x.kind]++; return acc + x.score; }, 0);`,
    `  return { count: store.size, total, byKind };`,
    `}`,
    `export function pick${i}<K extends Keys${i}>(e: Entity${i}, keys: readonly K[]): Pick<Entity${i}, K> {`,
    `  const out = {} as Pick<Entity${i}, K>;`,
    `  for (const k of keys) out[k] = e[k];`,
    `  return out;`,
    `}`,
  );
  for (const d of deps) {
    lines.push(
      `export function link${i}_${d}(a: Entity${i}, b: Entity${d}, p: Patch${d}): Entity${i} {`,
      `  const s = new Store${d}<Entity${d}>().put(b);`,
      `  return { ...a, dep${d}: s.get(b.id) ?? b, score: a.score + summarize${d}(s).total + Object.keys(p).length };`,
      `}`,
    );
  }
  if (marked) {
    lines.push(
      `/** @cpuBoundFork */`,
      `export function heavy${i}(n: number): number {`,
      `  let x = 0;`,
      `  for (let k = 0; k < n; k++) x = (x * 31 + k) % 1000003;`,
      `  return x;`,
      `}`,
      `export function heavyAll${i}(ns: number[]): number[] {`,
      `  const out: number[] = [];`,
      `  for (const n of ns) out.push(heavy${i}(n));`,
      `  return out;`,
      `}`,
    );
  }
  return lines.join('\n') + '\n';
}

function project(name, markedFile) {
  const dir = join(out, name);
  mkdirSync(join(dir, 'src'), { recursive: true });
  mkdirSync(join(dir, 'node_modules'), { recursive: true });
  symlinkSync(repo, join(dir, 'node_modules/tsfork'), 'junction');
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: `build-cost-${name}`, private: true, type: 'module' }));
  for (let i = 0; i < FILES; i++) writeFileSync(join(dir, 'src', `m${i}.ts`), moduleText(i, i === markedFile));
  const compilerOptions = {
    target: 'es2022', module: 'nodenext', strict: true, declaration: true, sourceMap: true,
    skipLibCheck: true, types: [], rootDir: 'src',
  };
  writeFileSync(join(dir, 'plain.json'), JSON.stringify({ compilerOptions: { ...compilerOptions, outDir: 'out-plain' }, include: ['src'] }));
  writeFileSync(join(dir, 'plugin.json'), JSON.stringify({
    compilerOptions: { ...compilerOptions, outDir: 'out-plugin', plugins: [{ transform, transformProgram: true }] },
    include: ['src'],
  }));
  return dir;
}

/** One build: wall ms, and CPU ms of the compiler process (its exit hook prints process.cpuUsage()). */
function build(dir, config) {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ['-r', cpuProbe, tspc, '-p', config], { cwd: dir, encoding: 'utf8' });
  const wall = performance.now() - t0;
  if (r.status !== 0) throw new Error(`tspc -p ${config} in ${dir} failed (exit ${r.status}):\n${(r.stdout + r.stderr).slice(0, 3000)}`);
  const m = /__tsfork_cpu (\d+) (\d+)/.exec(r.stderr);
  if (!m) throw new Error(`no CPU figure from tspc -p ${config}:\n${r.stderr}`);
  return { wall, cpu: (Number(m[1]) + Number(m[2])) / 1000 };
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const n = s.length; return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2; };

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
writeFileSync(cpuProbe, `process.on('exit', () => { const u = process.cpuUsage(); require('node:fs').writeSync(2, '\\n__tsfork_cpu ' + u.user + ' ' + u.system + '\\n'); });\n`);
const cases = [
  { label: 'no marked function', dir: project('none', -1) },
  { label: 'one marked function in one file', dir: project('one', Math.floor(FILES / 2)) },
];
console.log(`${FILES} generated modules, ${RUNS} alternating pairs each; tspc with the plugin vs tspc without it (medians)`);
console.log('| project | tspc wall ms | +plugin wall ms | wall ratio | tspc CPU ms | +plugin CPU ms | CPU ratio | ratio of medians of pair ratios |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const c of cases) {
  build(c.dir, 'plain.json'); // warm the file cache once
  build(c.dir, 'plugin.json');
  const plain = [];
  const plugin = [];
  for (let i = 0; i < RUNS; i++) {
    if (i % 2 === 0) { plain.push(build(c.dir, 'plain.json')); plugin.push(build(c.dir, 'plugin.json')); }
    else { plugin.push(build(c.dir, 'plugin.json')); plain.push(build(c.dir, 'plain.json')); }
  }
  const pairRatio = median(plain.map((p, i) => plugin[i].cpu / p.cpu));
  const [pw, gw, pc, gc] = [median(plain.map((x) => x.wall)), median(plugin.map((x) => x.wall)), median(plain.map((x) => x.cpu)), median(plugin.map((x) => x.cpu))];
  console.log(`| ${c.label} | ${pw.toFixed(0)} | ${gw.toFixed(0)} | ${(gw / pw).toFixed(2)}x | ${pc.toFixed(0)} | ${gc.toFixed(0)} | ${(gc / pc).toFixed(2)}x | ${pairRatio.toFixed(2)}x (CPU) |`);
}
// The marked build really forked: its worker module was emitted beside the module.
const marked = join(cases[1].dir, 'out-plugin', `m${Math.floor(FILES / 2)}.tsfork-worker.js`);
readFileSync(marked, 'utf8');
