// Soak and fault run: forks, maps (threads and child processes), io tasks, cancellations, worker crashes and large
// payloads side by side for a while, checking every result. Prints RSS and CPU as it goes; fails (exit code 1) on a
// lost, hung or wrong result, a crash that failed more than its own task, or RSS growth.
//   npm run soak                      10 minutes
//   npm run soak -- --minutes 1       or --seconds 60; --report 30 (seconds between printed lines)
import * as parallel from 'tsfork';
import { fork, FailedTask, TimeoutError, WorkerDiedError, terminateProcessPool } from 'tsfork';
import { Worker } from 'node:worker_threads';
import { fib, fibPlain, step, spin, later, blob, checksum, reverse } from './soak-tasks.mjs';

const args = process.argv.slice(2);
const opt = (name) => { const i = args.indexOf(`--${name}`); return i < 0 ? undefined : Number(args[i + 1]); };
for (let i = 0; i < args.length; i += 2) {
  if (args[i] === '--only' && args[i + 1]) continue;
  if (!['--minutes', '--seconds', '--report'].includes(args[i]) || !Number.isFinite(Number(args[i + 1])) || Number(args[i + 1]) <= 0) {
    console.error(`soak: unknown or bad argument '${args.slice(i, i + 2).join(' ')}'; use --minutes N or --seconds N, --report SECONDS, --only lane,lane`);
    process.exit(2);
  }
}
const seconds = opt('seconds') ?? (opt('minutes') ?? 10) * 60;
const reportEvery = (opt('report') ?? Math.min(30, Math.max(5, seconds / 6))) * 1000;
const sampleEvery = Math.max(250, Math.min(2000, seconds * 1000 / 120)); // about 100+ samples in any run
const OP_LIMIT = 120_000;   // an operation not settled after this long is lost (hung)
const BLOCK_LIMIT = Number(process.env.SOAK_BLOCK_LIMIT ?? 90_000); // ms the main thread may stay blocked (a join that never returns): then the soak fails at once
const GROWTH_RATIO = 1.3;   // RSS: median of the last third may exceed the first third's by 30% ...
const GROWTH_SLACK = 64;    // ... plus this many MB

const t0 = performance.now();
const end = t0 + seconds * 1000;
const counts = new Map();      // kind -> operations that passed
const problems = [];           // { kind, what }
const inflight = new Map();    // id -> { kind, started }
let nextId = 0;
let slowest = { kind: '', ms: 0 };

const mb = (bytes) => bytes / 2 ** 20;
// the monitor thread samples and prints even while this thread is blocked; the heartbeat tells it this one runs
const beat = new Int32Array(new SharedArrayBuffer(4));
const heart = setInterval(() => Atomics.add(beat, 0, 1), 250);
const monitor = new Worker(new URL('./soak-monitor.mjs', import.meta.url), {
  workerData: { t0: Date.now(), sampleEvery, reportEvery, blockLimit: BLOCK_LIMIT, beat },
});
const fail = (kind, what) => {
  problems.push({ kind, what, at: ((performance.now() - t0) / 1000).toFixed(1) });
  if (problems.length <= 20) console.log(`  PROBLEM [${kind}] ${what}`);
  monitor.postMessage({ problem: true });
};
const check = (kind, ok, what) => { if (!ok) fail(kind, what()); return ok; };
const describe = (e) => (e instanceof Error ? `${e.name}: ${e.message.split('\n')[0]}` : String(e));

/** Runs one operation: counts it, records it as lost if it never settles within OP_LIMIT. */
async function op(kind, body) {
  const id = nextId++;
  const started = performance.now();
  inflight.set(id, { kind, started });
  monitor.postMessage({ start: id, kind });
  let timer;
  let ok = false;
  const lost = new Promise((resolve) => { timer = setTimeout(() => resolve('lost'), OP_LIMIT); });
  try {
    const r = await Promise.race([Promise.resolve().then(body).then(() => 'ok'), lost]);
    if (r === 'lost') fail(kind, `did not settle within ${OP_LIMIT / 1000} s (lost or hung)`);
    else { counts.set(kind, (counts.get(kind) ?? 0) + 1); ok = true; }
  } catch (e) {
    fail(kind, `unexpected error: ${describe(e)}`);
  } finally {
    clearTimeout(timer);
    inflight.delete(id);
    monitor.postMessage({ end: id, ok });
    const ms = performance.now() - started;
    if (ms > slowest.ms) slowest = { kind, ms };
  }
}

const range = (n, from = 0) => Array.from({ length: n }, (_, i) => from + i);
const rand = (n) => Math.floor(Math.random() * n);

// ---- the workloads; each throws nothing itself: a wrong value is recorded with fail() ----
// (async forms only: a blocking mapSync would stop every other lane's timers, timeouts included, while it waits)

async function forks() {
  const n = 20 + rand(4);
  const want = fibPlain(n);
  const got = await fork(fib, n);
  check('fork', got === want, () => `fib(${n}) = ${got}, expected ${want}`);
  const many = range(200).map((i) => fork(step, i, -1, 'none'));
  for (let i = 0; i < many.length; i++) {
    const v = await many[i];
    if (!check('fork', v === i * 3 + 1, () => `fork ${i}: ${v}`)) break;
  }
}

async function maps(exe) {
  const kind = `${exe}.map`;
  const n = exe === 'thread' ? 4000 + rand(4000) : 500 + rand(1500);
  const from = rand(1000);
  const r = await parallel[exe].map(step, range(n, from).map((x) => [x, -1, 'none']));
  check(kind, Array.isArray(r) && r.length === n, () => `length ${r?.length}, expected ${n}`);
  for (let i = 0; i < n; i++) if (!check(kind, r[i] === (from + i) * 3 + 1, () => `item ${i}: ${r[i]}`)) break;
}

async function io() {
  const n = 20 + rand(40);
  const vs = await Promise.all(range(n).map((i) => fork(later, 1 + rand(20), `v${i}`)));
  for (let i = 0; i < n; i++) if (!check('io', vs[i] === `v${i}`, () => `io fork ${i}: ${vs[i]}`)) break;
  const r = await parallel.thread.map(later, range(n).map((i) => [1 + rand(10), i]));
  for (let i = 0; i < n; i++) if (!check('io', r[i] === i, () => `io map ${i}: ${r[i]}`)) break;
}

async function cancels(exe) {
  const kind = `${exe}.cancel`;
  // timeout: the quick items keep their values, the endless one is stopped
  // (on a busy machine the quick ones may not get a worker in time: then they too are FailedTask(TimeoutError))
  const began = performance.now();
  const r = await parallel[exe].map(spin, [2, 3, 60_000], { timeout: 400, silent: true, chunkSize: 1 });
  const stopped = (v) => v instanceof FailedTask && v.error instanceof TimeoutError;
  check(kind, (r[0] === 2 || stopped(r[0])) && (r[1] === 3 || stopped(r[1])), () => `timeout: slots 0, 1 are ${describe(r[0]?.error ?? r[0])}, ${describe(r[1]?.error ?? r[1])}`);
  check(kind, stopped(r[2]), () => `timeout: slot 2 is ${describe(r[2]?.error ?? r[2])}`);
  const took = performance.now() - began;
  check(kind, took < 30_000, () => `a call with timeout 400 ms took ${(took / 1000).toFixed(1)} s`);
  // signal: everything stops, the call rejects with the reason
  const stop = new AbortController();
  const reason = new Error('soak abort');
  setTimeout(() => stop.abort(reason), 50 + rand(100));
  const e = await parallel[exe].map(spin, [60_000, 60_000], { signal: stop.signal, chunkSize: 1 }).then(() => 'resolved', (x) => x);
  check(kind, e === reason, () => `abort: got ${describe(e)}`);
  // a job shut down mid-way
  const job = parallel.asyncMap(spin, [60_000, 60_000], { executor: exe, chunkSize: 1 }).start();
  await new Promise((res) => setTimeout(res, rand(100)));
  await job.shutdown();
  const j = await job.results().then(() => 'resolved', (x) => x);
  check(kind, j instanceof parallel.ShutdownError, () => `shutdown: got ${describe(j)}`);
}

async function crashes(exe) {
  const kind = `${exe}.crash`;
  const hows = exe === 'thread' ? ['exit', 'uncaught'] : ['exit', 'kill'];
  const how = hows[rand(hows.length)];
  const n = 300 + rand(1000);
  const bad = rand(n);
  const r = await parallel[exe].map(step, range(n).map((x) => [x, bad, how]), { silent: true });
  const failed = r.flatMap((v, i) => (v instanceof FailedTask ? [i] : []));
  check(kind, failed.length === 1 && failed[0] === bad, () => `${how} at item ${bad} of ${n}: failed items ${failed.slice(0, 10).join(',')}${failed.length > 10 ? `... (${failed.length})` : ''}`);
  check(kind, r[bad]?.error instanceof WorkerDiedError, () => `${how}: item ${bad} failed with ${describe(r[bad]?.error ?? r[bad])}`);
  check(kind, !/runChunk/.test(r[bad]?.error?.message ?? ''), () => `message names the runner: ${r[bad]?.error?.message}`);
  for (let i = 0; i < n; i++) if (i !== bad && !check(kind, r[i] === i * 3 + 1, () => `${how}: innocent item ${i} is ${describe(r[i]?.error ?? r[i])}`)) break;
  if (exe === 'thread') {
    const e = await fork(step, 1, 1, 'exit').then(() => 'resolved', (x) => x);
    check('fork.crash', e instanceof WorkerDiedError, () => `fork that exits: ${describe(e)}`);
  }
}

async function payloads() {
  const size = (1 + rand(8)) * 2 ** 20;
  const bytes = blob(size, 7);
  const [want] = checksum(bytes);
  const [got, len] = await fork(checksum, bytes);
  check('payload', got === want && len === size, () => `fork checksum ${got}/${len}, expected ${want}/${size}`);
  const made = await parallel.thread.map(blob, [[size, 1], [size >> 1, 2]]);
  check('payload', made[0].length === size && checksum(made[0])[0] === checksum(blob(size, 1))[0], () => 'thread.map blob mismatch');
  const text = 'soak'.repeat((size >> 3) + rand(100));
  const [back] = await parallel.process.map(reverse, [text]);
  check('payload', back === text.split('').reverse().join(''), () => `process.map reverse: ${back?.length} chars, expected ${text.length}`);
  const sums = await parallel.process.map(checksum, [bytes]);
  check('payload', sums[0][0] === want, () => `process.map checksum ${sums[0][0]}, expected ${want}`);
}

const lanes = {
  fork: forks,
  'thread.map': () => maps('thread'),
  'process.map': () => maps('process'),
  io,
  'thread.cancel': () => cancels('thread'),
  'process.cancel': () => cancels('process'),
  'thread.crash': () => crashes('thread'),
  'process.crash': () => crashes('process'),
  payload: payloads,
};

const only = args.includes('--only') ? args[args.indexOf('--only') + 1].split(',') : undefined;
for (const name of only ?? []) {
  if (!(name in lanes)) { console.error(`soak: no lane '${name}'; lanes: ${Object.keys(lanes).join(', ')}`); process.exit(2); }
}
for (const name of Object.keys(lanes)) if (only && !only.includes(name)) delete lanes[name];

// ---- run ----

console.log(`soak: ${seconds} s of ${Object.keys(lanes).join(', ')}; a line every ${(reportEvery / 1000).toFixed(0)} s`);
await Promise.all(Object.entries(lanes).map(async ([kind, body]) => {
  while (performance.now() < end) await op(kind, body);
}));
const { samples } = await new Promise((resolve) => { monitor.once('message', resolve); monitor.postMessage({ done: true }); });
clearInterval(heart);
await terminateProcessPool();

// RSS growth: after warm-up, the median of the last third of the samples against the first third's
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s.length ? s[s.length >> 1] : NaN; };
const third = Math.floor(samples.length / 3);
const growth = [];
if (third >= 3) {
  for (const [label, key] of [['rss', 'rss'], ['children rss', 'childRss']]) {
    const first = median(samples.slice(0, third).map((s) => s[key]));
    const last = median(samples.slice(-third).map((s) => s[key]));
    const limit = first * GROWTH_RATIO + GROWTH_SLACK * 2 ** 20;
    growth.push({ label, first, last, limit });
    if (last > limit) fail('memory', `${label} grew: median ${mb(first).toFixed(0)} MB (first third) -> ${mb(last).toFixed(0)} MB (last third), limit ${mb(limit).toFixed(0)} MB`);
  }
} else {
  console.log('  (too few samples to judge RSS growth)');
}

console.log('\nsoak summary');
const wall = (performance.now() - t0) / 1000;
for (const kind of Object.keys(lanes).concat([...counts.keys()].filter((k) => !(k in lanes)))) {
  const bad = problems.filter((p) => p.kind === kind).length;
  console.log(`  ${kind.padEnd(16)} ${String(counts.get(kind) ?? 0).padStart(6)} passed  ${String(bad).padStart(4)} problems`);
}
for (const g of growth) console.log(`  ${g.label.padEnd(16)} median ${mb(g.first).toFixed(0)} MB -> ${mb(g.last).toFixed(0)} MB (limit ${mb(g.limit).toFixed(0)} MB)`);
console.log(`  peak rss ${mb(Math.max(...samples.map((s) => s.rss))).toFixed(0)} MB, peak children rss ${mb(Math.max(...samples.map((s) => s.childRss))).toFixed(0)} MB, mean cpu ${(samples.reduce((a, s) => a + s.cpu, 0) / samples.length).toFixed(0)}% of one core (children ${(samples.reduce((a, s) => a + s.childCpu, 0) / samples.length).toFixed(0)}%), slowest operation ${(slowest.ms / 1000).toFixed(1)} s (${slowest.kind}), ${wall.toFixed(0)} s`);
const memoryProblems = problems.filter((p) => p.kind === 'memory').length;
console.log(problems.length === 0 ? 'soak: PASS' : `soak: FAIL (${problems.length} problems, ${memoryProblems} memory; first ones above)`);
process.exit(problems.length === 0 ? 0 : 1);
