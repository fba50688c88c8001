// The soak's monitor thread (bench/soak.mjs): samples RSS and CPU of the process and its child processes, prints a
// line every few seconds, and keeps watching when the main thread is blocked (a synchronous join that never
// returns): then it prints what was in flight and ends the process, so a hang fails the soak instead of stalling it.
import { parentPort, workerData } from 'node:worker_threads';
import { readFileSync, readdirSync, writeSync } from 'node:fs';

const { t0, sampleEvery, reportEvery, blockLimit, beat } = workerData;
const say = (line) => writeSync(1, `${line}\n`);
const mb = (bytes) => bytes / 2 ** 20;
const inflight = new Map(); // id -> { kind, started }
let ops = 0;
let problems = 0;

function childPids() {
  const out = [];
  try {
    for (const t of readdirSync('/proc/self/task')) {
      for (const p of readFileSync(`/proc/self/task/${t}/children`, 'utf8').trim().split(/\s+/)) if (p) out.push(Number(p));
    }
  } catch { /* not Linux: this process only */ }
  return out;
}
function childStats() {
  let rss = 0;
  let ticks = 0;
  const pids = childPids();
  for (const pid of pids) {
    try {
      rss += Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) * 1024;
      const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
      ticks += Number(f[11]) + Number(f[12]);
    } catch { /* exited meanwhile */ }
  }
  return { rss, cpuMs: ticks * 10, n: pids.length }; // 100 clock ticks per second
}

const samples = [];
let lastCpu = process.cpuUsage();
let lastChildCpu = 0;
let lastWall = performance.now();
let lastReport = performance.now();
let lastBeat = Atomics.load(beat, 0);
let lastBeatAt = performance.now();

function sample() {
  const now = performance.now();
  const cpu = process.cpuUsage(lastCpu); // the whole process: every thread
  lastCpu = process.cpuUsage();
  const c = childStats();
  const span = now - lastWall;
  const s = {
    t: (Date.now() - t0) / 1000, rss: process.memoryUsage.rss(), childRss: c.rss, children: c.n,
    cpu: (cpu.user + cpu.system) / 1000 / span * 100,
    childCpu: Math.max(0, c.cpuMs - lastChildCpu) / span * 100, // a replaced child's time is lost: at least 0
  };
  lastChildCpu = c.cpuMs;
  lastWall = now;
  samples.push(s);
  if (now - lastReport >= reportEvery - sampleEvery / 2) {
    lastReport = now;
    say(`${s.t.toFixed(0).padStart(5)} s  rss ${mb(s.rss).toFixed(0).padStart(4)} MB  children ${String(s.children).padStart(2)} rss ${mb(s.childRss).toFixed(0).padStart(4)} MB  cpu ${s.cpu.toFixed(0).padStart(3)}% (children ${s.childCpu.toFixed(0).padStart(3)}%)  ops ${ops}  in flight ${inflight.size}  problems ${problems}`);
  }
  const b = Atomics.load(beat, 0);
  if (b !== lastBeat) { lastBeat = b; lastBeatAt = now; }
  if (now - lastBeatAt > blockLimit) {
    say(`  PROBLEM [main] the main thread has been blocked for ${((now - lastBeatAt) / 1000).toFixed(0)} s (a join that does not return); in flight:`);
    for (const { kind, started } of inflight.values()) say(`    ${kind}, for ${((Date.now() - started) / 1000).toFixed(0)} s`);
    say('soak: FAIL (hung)');
    process.kill(process.pid, 'SIGKILL'); // the blocked main thread cannot end the process itself
  }
}

const timer = setInterval(sample, sampleEvery);
parentPort.on('message', (m) => {
  if (m.start !== undefined) inflight.set(m.start, { kind: m.kind, started: Date.now() });
  else if (m.end !== undefined) { inflight.delete(m.end); if (m.ok) ops++; }
  else if (m.problem) problems++;
  else if (m.done) {
    clearInterval(timer);
    sample();
    parentPort.postMessage({ samples });
    parentPort.close();
  }
});
