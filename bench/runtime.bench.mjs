// Fine-grained tasks side by side, 2 workers each: tsfork (sync join and await), piscina, workerpool, and the
// plain loop. 20,000 tasks of ~20 us, then 20,000 trivial tasks. Prints medians of RUNS runs and ratios.
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { Piscina } from 'piscina';
import workerpool from 'workerpool';
import { fork, join, configure } from 'tsfork';

const require = createRequire(import.meta.url);
const { work, trivial } = require('./runtime-work.cjs');
const here = (f) => fileURLToPath(new URL(f, import.meta.url));
const N = 20_000;
const RUNS = Number(process.env.RUNS ?? 5);
const WORKERS = 2;

configure({ cpuWorkers: WORKERS });
// Same code as runtime-work.cjs, written inline so fork can send it to its workers as source.
const tsWork = function work(n) {
  let x = n;
  for (let i = 0; i < 800; i++) x = (x * 1103515245 + 12345) % 2147483648;
  return x;
};
const tsTrivial = function trivial(n) { return n + 1; };

const piscina = new Piscina({ filename: here('./runtime-piscina-worker.cjs'), minThreads: WORKERS, maxThreads: WORKERS });
const wp = workerpool.pool(here('./runtime-workerpool-worker.cjs'), { minWorkers: WORKERS, maxWorkers: WORKERS, workerType: 'thread' });

const contenders = {
  'plain loop': (fn) => { let s = 0; const f = fn === 'work' ? work : trivial; for (let i = 0; i < N; i++) s += f(i); return s; },
  'tsfork, join': (fn) => {
    const f = fn === 'work' ? tsWork : tsTrivial;
    const rs = new Array(N);
    for (let i = 0; i < N; i++) rs[i] = fork(f, i);
    let s = 0;
    for (let i = 0; i < N; i++) s += join(rs[i]);
    return s;
  },
  'tsfork, await': async (fn) => {
    const f = fn === 'work' ? tsWork : tsTrivial;
    const rs = new Array(N);
    for (let i = 0; i < N; i++) rs[i] = fork(f, i);
    let s = 0;
    for (let i = 0; i < N; i++) s += await rs[i];
    return s;
  },
  piscina: async (fn) => {
    const ps = new Array(N);
    for (let i = 0; i < N; i++) ps[i] = piscina.run({ fn, n: i });
    return (await Promise.all(ps)).reduce((a, b) => a + b, 0);
  },
  workerpool: async (fn) => {
    const ps = new Array(N);
    for (let i = 0; i < N; i++) ps[i] = wp.exec(fn, [i]);
    return (await Promise.all(ps)).reduce((a, b) => a + b, 0);
  },
};

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };

console.log(`node ${process.version}, ${os.cpus().length} x ${os.cpus()[0]?.model ?? 'cpu'}, ${WORKERS} workers each, ${N} tasks, median of ${RUNS} runs`);
// Warm up every pool (thread start, JIT) before timing.
for (const run of Object.values(contenders)) { await run('trivial'); await run('work'); }
for (const fn of ['work', 'trivial']) {
  const rows = [];
  let expected;
  for (const [name, run] of Object.entries(contenders)) {
    const times = [];
    for (let r = 0; r < RUNS; r++) {
      const t = performance.now();
      const sum = await run(fn);
      times.push(performance.now() - t);
      expected ??= sum;
      if (sum !== expected) throw new Error(`${name} computed ${sum}, expected ${expected}`);
    }
    rows.push({ name, ms: median(times) });
  }
  const loop = rows.find((r) => r.name === 'plain loop').ms;
  const pis = rows.find((r) => r.name === 'piscina').ms;
  console.log(`\n${fn === 'work' ? `${N} tasks of ~${(loop * 1000 / N).toFixed(0)} us` : `${N} trivial tasks`}`);
  console.log('| contender | median ms | tasks/s | speed vs plain loop | speed vs piscina |');
  console.log('| --- | ---: | ---: | ---: | ---: |');
  for (const r of rows) {
    console.log(`| ${r.name} | ${r.ms.toFixed(1)} | ${Math.round(N / r.ms * 1000).toLocaleString('en-US')} | ${(loop / r.ms).toFixed(2)}x | ${(pis / r.ms).toFixed(2)}x |`);
  }
}
await piscina.destroy();
await wp.terminate();
