// map of 1,000,000 trivial items (x => x * 2): plain loop vs tsfork map (threads, processes) vs piscina.
// Medians of several runs. piscina with one task per item is measured on 50,000 items and scaled up
// (the full million takes about a minute that way); piscina with hand-made chunks is the fair comparison.
import { map, process as processExecutor, terminateProcessPool } from 'tsfork';
import { Piscina } from 'piscina';
import { availableParallelism } from 'node:os';

const N = 1_000_000;
const RUNS = 5;
const items = Array.from({ length: N }, (_, i) => i);
const double = (x) => x * 2;

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}
async function measure(fn, runs = RUNS) {
  await fn(); // warm-up
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  return median(times);
}
function check(out) {
  if (out.length !== N || out[N - 1] !== 2 * (N - 1)) throw new Error('wrong result');
}

const rows = [];
rows.push(['plain loop (push into an array)', await measure(() => {
  const out = [];
  for (const x of items) out.push(double(x));
  check(out);
})]);
rows.push(['tsfork map (threads, measured chunks)', await measure(async () => check(await map(double, items)))]);
rows.push(['tsfork process.map (child processes)', await measure(async () => check(await processExecutor.map(double, items)))]);

const pool = new Piscina({ filename: new URL('./map.piscina-worker.mjs', import.meta.url).href, maxThreads: availableParallelism() });
const workers = availableParallelism();
rows.push(['piscina, hand-made chunks (4 per thread)', await measure(async () => {
  const size = Math.ceil(N / (workers * 4));
  const parts = [];
  for (let i = 0; i < N; i += size) parts.push(pool.run(items.slice(i, i + size), { name: 'chunk' }));
  check((await Promise.all(parts)).flat());
})]);
const SMALL = 50_000;
const perItem = await measure(async () => {
  await Promise.all(items.slice(0, SMALL).map((x) => pool.run(x)));
}, 3);
rows.push([`piscina, one task per item (${SMALL} items, x${N / SMALL})`, perItem * (N / SMALL)]);
await pool.destroy();
await terminateProcessPool();

const loop = rows[0][1];
console.log(`| ${N.toLocaleString('en')} items | median ms | vs plain loop |`);
console.log('| --- | ---: | ---: |');
for (const [name, ms] of rows) console.log(`| ${name} | ${ms.toFixed(1)} | ${(ms / loop).toFixed(1)}x |`);
process.exit(0);
