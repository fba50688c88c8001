// Value semantics: what arrives in a worker and what comes back is exactly what structuredClone gives (holes,
// extra array properties, shared and cyclic references, typed arrays' offsets and buffers, errors...), and a
// SharedArrayBuffer arrives shared. A seeded property test over generated values, then one test per finding.
import { beforeAll, describe, expect, it } from 'vitest';
import { configure, submit, fork, join, move } from 'tsfork';
// @ts-expect-error: a plain .mjs fixture (workers load its hoisted functions by URL)
import { generate, shapeOf, sabsIn, arrive, echo } from './fixtures/values.mjs';
import { warmUp } from './helpers.js';

configure({ cpuWorkers: 2 });

const SIZES = [0, 700, 3000, 200_000]; // inline, bytes in the slot, just over the slot, far over
const SEEDS = Number(process.env.VALUES_SEEDS ?? 60);

interface Case { seed: number; size: number; plainOnly: boolean }
const cases: Case[] = [];
for (let seed = 1; seed <= SEEDS; seed++) for (const size of SIZES) cases.push({ seed, size, plainOnly: seed % 3 === 0 });
const label = (c: Case) => `seed ${c.seed}, size ${c.size}${c.plainOnly ? ', plain' : ''}`;

/** Each SharedArrayBuffer of `v` has `mark` as its last byte (written by the other side). */
function marked(v: unknown, mark: number): boolean {
  return [...sabsIn(v) as Set<SharedArrayBuffer>].every((s) => new Uint8Array(s)[s.byteLength - 1] === mark);
}

async function check(c: Case, mode: 'await' | 'join'): Promise<void> {
  const v = generate(c.seed, c.size, c.plainOnly);
  const mark = (c.seed * 7 + (mode === 'join' ? 1 : 2)) & 0xff;
  // What the worker sees
  const expected = shapeOf(structuredClone(v));
  const t = submit<string>(arrive, [v, mark]);
  const got = mode === 'await' ? await t.promise : t.join();
  expect(got, `${label(c)}: argument as it arrived (${mode})`).toBe(expected);
  expect(marked(v, mark), `${label(c)}: the worker's writes to shared memory are seen here (${mode})`).toBe(true);
  // What comes back
  const back = shapeOf(structuredClone(v));
  const e = submit<unknown>(echo, [v]);
  const r = mode === 'await' ? await e.promise : e.join();
  expect(shapeOf(r), `${label(c)}: result (${mode})`).toBe(back);
  const theirs = [...sabsIn(r) as Set<SharedArrayBuffer>];
  for (const s of theirs) new Uint8Array(s)[s.byteLength - 1] = mark ^ 0xff;
  expect(marked(v, mark ^ 0xff), `${label(c)}: a returned SharedArrayBuffer is the same memory (${mode})`).toBe(true);
}

describe('values cross exactly as structuredClone gives them', () => {
  beforeAll(() => warmUp());

  it(`${cases.length} generated values, awaited (run on a worker)`, { timeout: 120_000 }, async () => {
    for (const c of cases) await check(c, 'await');
  });

  it(`${cases.length} generated values, joined (may run on this thread)`, { timeout: 120_000 }, async () => {
    for (const c of cases) await check(c, 'join');
  });
});
