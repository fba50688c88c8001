// The examples through each toolchain: plain tsc build (sequential), tsfork/babel build, `tsfork run` from the
// .ts sources (cold: empty compile cache, so TypeScript loads and transforms; warm: the cached compile).
// Medians of RUNS runs, wall clock of the whole process. `npm run bench` builds tsfork first.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('..', import.meta.url));
const examples = join(repo, 'examples');
const out = join(repo, 'bench', '.toolchains');
const RUNS = Number(process.env.RUNS ?? 3);
const names = readdirSync(examples, { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(examples, d.name, 'main.ts')))
  .map((d) => d.name).sort();

function must(what, r) {
  if (r.status !== 0) throw new Error(`${what} failed (exit ${r.status}):\n${r.stdout ?? ''}${r.stderr ?? ''}`);
  return r;
}
const node = (args, env = {}) => spawnSync(process.execPath, args, { cwd: repo, encoding: 'utf8', env: { ...process.env, ...env } });

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
writeFileSync(join(out, 'tsconfig.json'), JSON.stringify({
  extends: join(examples, 'tsconfig.json'),
  compilerOptions: { outDir: join(out, 'sequential'), rootDir: examples, plugins: [] },
  include: [join(examples, '*/*.ts')],
}));
must('tsc', node([join(repo, 'node_modules/typescript/bin/tsc'), '-p', join(out, 'tsconfig.json')]));
writeFileSync(join(out, 'babel.config.json'), JSON.stringify({
  presets: ['@babel/preset-typescript'], plugins: [join(repo, 'dist/transformer/babel/index.js')],
}));
must('babel', node([join(repo, 'node_modules/@babel/cli/bin/babel.js'), 'examples', '-d', join(out, 'babel'),
  '--extensions', '.ts', '--config-file', join(out, 'babel.config.json')]));

const cacheDir = join(out, 'cache');
const ways = {
  sequential: (name) => [join(out, 'sequential', name, 'main.js')],
  babel: (name) => [join(out, 'babel', name, 'main.js')],
  'tsfork run (cold)': (name) => { rmSync(cacheDir, { recursive: true, force: true }); return [join(repo, 'dist/cli/index.js'), 'run', join('examples', name, 'main.ts')]; },
  'tsfork run (warm)': (name) => [join(repo, 'dist/cli/index.js'), 'run', join('examples', name, 'main.ts')],
};

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(`| example | ${Object.keys(ways).join(' | ')} |`);
console.log(`| --- | ${Object.keys(ways).map(() => '---').join(' | ')} |`);
for (const name of names) {
  const times = {};
  let expected;
  for (const [way, args] of Object.entries(ways)) {
    const ms = [];
    for (let i = 0; i < RUNS; i++) {
      const argv = args(name);
      const t0 = performance.now();
      const r = must(`${way} ${name}`, node(argv, { TSFORK_CACHE_DIR: cacheDir }));
      ms.push(performance.now() - t0);
      expected ??= r.stdout;
      if (r.stdout !== expected) {
        throw new Error(`${way} ${name} printed something else than the sequential build:\n${r.stdout}\n--- expected:\n${expected}\n--- stderr:\n${r.stderr}`);
      }
    }
    times[way] = median(ms);
  }
  const seq = times.sequential;
  console.log(`| ${name} | ${Object.values(times).map((t) => `${Math.round(t)} ms${t === seq ? '' : ` (${(seq / t).toFixed(2)}x)`}`).join(' | ')} |`);
}
rmSync(out, { recursive: true, force: true });
