// The examples/ programs built both ways (plain tsc = sequential, tsfork build = parallel): wall-clock time of
// each, median of 3 runs, and whether the outputs match. Also the recursion rule: one recursive fib(35) call,
// forked once, must cost about what it costs sequentially (its self-calls are plain calls in the worker).
import { mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { buildExamples, exampleNames, examplesDir, runExample } from '../examples/build.mjs';

const runs = Number(process.env.BENCH_RUNS ?? 3);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

buildExamples();
const rows = [];
for (const name of exampleNames()) {
  const t = { sequential: [], parallel: [] };
  let same = true;
  let reference;
  for (let i = 0; i < runs; i++) {
    for (const mode of ['sequential', 'parallel']) {
      const r = runExample(name, mode);
      if (r.status !== 0) { console.error(`${name} (${mode}) failed:\n${r.stderr}`); process.exit(1); }
      reference ??= r.stdout;
      same &&= r.stdout === reference;
      t[mode].push(r.ms);
    }
  }
  rows.push({ name: `examples/${name}`, seq: median(t.sequential), par: median(t.parallel), same });
}

// Recursion rule: a single forked recursive call against the same call made sequentially.
const dir = join(examplesDir, 'dist', 'recursion-probe');
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });
const probe = (mod) => `import { fib } from '${mod}';
const t0 = performance.now(); const v = fib(35); const x = typeof v === 'number' ? v : Number(v);
console.log(JSON.stringify({ ms: performance.now() - t0, x }));`;
writeFileSync(join(dir, 'seq.mjs'), probe('../sequential/fib/main.js'));
writeFileSync(join(dir, 'par.mjs'), probe('../parallel/fib/main.js'));
const time = (f) => {
  const ms = [];
  for (let i = 0; i < runs; i++) {
    const r = spawnSync(process.execPath, [join(dir, f)], { encoding: 'utf8' });
    // the fib example prints its own list first; the probe's line is the last one
    ms.push(JSON.parse(r.stdout.trim().split('\n').pop()).ms);
  }
  return median(ms);
};
// Importing the example module runs its own list too, so both probes pay that before timing starts.
const recSeq = time('seq.mjs');
const recPar = time('par.mjs');

console.log(`| program | sequential (tsc) | parallel (tsfork) | speedup | same output |`);
console.log(`| --- | ---: | ---: | ---: | --- |`);
for (const r of rows) {
  console.log(`| ${r.name} | ${r.seq.toFixed(0)} ms | ${r.par.toFixed(0)} ms | ${(r.seq / r.par).toFixed(2)}x | ${r.same ? 'yes' : 'NO'} |`);
}
console.log(`| one recursive fib(35), forked once | ${recSeq.toFixed(0)} ms | ${recPar.toFixed(0)} ms | ${(recSeq / recPar).toFixed(2)}x (rule: parallel within 1.2x of sequential) | - |`);
process.exit(rows.every((r) => r.same) ? 0 : 1);
