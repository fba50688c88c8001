// The functions the soak (bench/soak.mjs) runs on threads and child processes: exported and hoisted, so workers
// load them from this module (what the compiler does for marked functions). Each result is checkable.
import { fork, join, hoist, ioBound } from 'tsfork';

const here = import.meta.url;

/** fib with forks for the big halves (cascading forks). */
export function fib(n) {
  if (n < 2) return n;
  if (n < 18) return fib(n - 1) + fib(n - 2);
  const a = fork(fib, n - 1);
  const b = fib(n - 2);
  return join(a) + b;
}
hoist(fib, here, 'fib', 'cpu');

export function fibPlain(n) { return n < 2 ? n : fibPlain(n - 1) + fibPlain(n - 2); }

/** x * 3 + 1, except that item `bad` kills its worker: 'exit' (process.exit), 'kill' (SIGKILL), 'uncaught' (a throw outside the task). */
export function step(x, bad, how) {
  if (x === bad) {
    if (how === 'exit') process.exit(9);
    if (how === 'kill') process.kill(process.pid, 'SIGKILL');
    if (how === 'uncaught') { setTimeout(() => { throw new Error('soak: uncaught in a worker'); }); return new Promise(() => {}); }
  }
  return x * 3 + 1;
}
hoist(step, here, 'step');

/** Busy for ms milliseconds, then returns ms. */
export function spin(ms) {
  const end = Date.now() + ms;
  while (Date.now() < end);
  return ms;
}
hoist(spin, here, 'spin');

/** I/O-like: waits ms, then returns v. */
export const later = ioBound(async function later(ms, v) {
  await new Promise((r) => setTimeout(r, ms));
  return v;
});
hoist(later, here, 'later', 'io');

/** A payload of n bytes (a pattern from seed), made in the worker: a large result. */
export function blob(n, seed) {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = (i * 31 + seed) & 255;
  return b;
}
hoist(blob, here, 'blob');

/** Sum of a large argument's bytes (mod 2^32) and its length. */
export function checksum(bytes) {
  let s = 0;
  for (let i = 0; i < bytes.length; i++) s = (s + bytes[i] * (i % 7 + 1)) >>> 0;
  return [s, bytes.length];
}
hoist(checksum, here, 'checksum');

/** A large string argument and result: its reverse. */
export function reverse(text) {
  return text.split('').reverse().join('');
}
hoist(reverse, here, 'reverse');
