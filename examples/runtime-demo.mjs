// Runtime-only demo (no compiler): a sequential program, and the same program with its work function marked cpuBoundFork.
// The loop is unchanged; calls become forks, values are joined when printed. Same output, less time.
import { cpuBoundFork, join } from 'tsfork';
import os from 'node:os';

// The work: count the primes in [from, to). Self-contained, so fork sends it to workers as source.
function countPrimes(from, to) {
  let count = 0;
  for (let n = Math.max(2, from); n < to; n++) {
    let prime = true;
    for (let d = 2; d * d <= n; d++) if (n % d === 0) { prime = false; break; }
    if (prime) count++;
  }
  return count;
}

const ranges = Array.from({ length: 16 }, (_, i) => [i * 250_000, (i + 1) * 250_000]);

function program(count) {
  const counts = ranges.map(([from, to]) => count(from, to)); // forks start here, all at once
  const lines = ranges.map(([from, to], i) => `primes in [${from}, ${to}): ${join(counts[i])}`);
  return lines.join('\n');
}

let t0 = performance.now();
const sequential = program(countPrimes);
const sequentialMs = performance.now() - t0;

t0 = performance.now();
const parallel = program(cpuBoundFork(countPrimes));
const parallelMs = performance.now() - t0;

console.log(parallel);
console.log(`\nsame output as the sequential run: ${parallel === sequential}`);
console.log(`sequential ${sequentialMs.toFixed(0)} ms, with tsfork ${parallelMs.toFixed(0)} ms ` +
  `(${(sequentialMs / parallelMs).toFixed(2)}x on ${os.availableParallelism()} cores)`);
