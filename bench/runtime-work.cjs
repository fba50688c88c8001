// The benchmark's work, shared by the piscina and workerpool workers (runtime.bench.mjs has the same code inline
// for tsfork and the plain loop). ~20 us of arithmetic per call at the default size.
function work(n) {
  let x = n;
  for (let i = 0; i < 800; i++) x = (x * 1103515245 + 12345) % 2147483648;
  return x;
}
function trivial(n) { return n + 1; }
module.exports = { work, trivial };
