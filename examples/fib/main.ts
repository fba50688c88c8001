// Recursive fib over a list. Each top-level call forks; the recursion inside runs as plain calls in its
// worker (tsfork never forks a function's calls to itself), so one fib costs what it costs sequentially.

/** @cpuBoundFork */
export function fib(n: number): number {
  return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

const inputs = [36, 37, 35, 36, 37, 35, 36, 37];
const results: number[] = [];
for (const n of inputs) results.push(fib(n));
for (let i = 0; i < inputs.length; i++) console.log(`fib(${inputs[i]}) = ${results[i]}`);
