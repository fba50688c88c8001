// The differential fuzzer (cli/fuzz) on a fixed seed: 12 generated programs built with plain tsc and through
// tspc, Babel and register; every build must print the same, exit the same and fail with the same error.
// A failure here is a real divergence: reproduce it with `npm run fuzz -- --seed <seed> --count 1`.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fuzz } from '../../dist/cli/fuzz/index.js';
import { generate, printProgram } from '../../dist/cli/fuzz/generate.js';
import { repoRoot } from '../exec/project.js';

const SEED = 1000;
const COUNT = 12;

describe('differential fuzzer', () => {
  it('generates the same program for a seed, and different ones for different seeds', () => {
    expect(printProgram(generate(SEED))).toEqual(printProgram(generate(SEED)));
    expect(printProgram(generate(SEED))).not.toEqual(printProgram(generate(SEED + 1)));
  });

  it(`${COUNT} programs from seed ${SEED} run the same through tspc, Babel and register as with plain tsc`, async () => {
    const lines: string[] = [];
    const report = await fuzz({
      count: COUNT, seed: SEED, frontEnds: ['tspc', 'babel', 'register'], batch: COUNT, jobs: 2, shrink: false,
      timeoutMs: 60_000, workDir: join(repoRoot, 'test/.tmp/fuzz-ci'), log: (l) => lines.push(l),
    });
    expect(report.invalid, 'programs plain tsc rejects (a generator bug)').toEqual([]);
    expect(report.ran).toBe(COUNT);
    expect(report.findings.map((f) => `seed ${f.seed} ${f.frontEnd}: ${f.signature}\n${f.detail}`), lines.join('\n')).toEqual([]);
  }, 600_000);
});
