// Count the primes below 8,000,000 in sixteen slices. `counts` is a plain array of numbers in both builds;
// with tsfork the sixteen countPrimes calls are spread over the cores.

/** @cpuBoundFork */
function countPrimes(from: number, to: number): number {
  let count = 0;
  for (let n = Math.max(from, 2); n < to; n++) {
    let prime = true;
    for (let d = 2; d * d <= n; d++) {
      if (n % d === 0) { prime = false; break; }
    }
    if (prime) count++;
  }
  return count;
}

const slice = 500_000;
const ranges = Array.from({ length: 16 }, (_, i) => [i * slice, (i + 1) * slice] as const);
const counts = ranges.map(([from, to]) => countPrimes(from, to));
console.log('primes per slice:', counts.join(' '));
console.log('total:', counts.reduce((a, b) => a + b, 0));
