// scanMarkers: what other modules learn about a module's marked functions without transforming it.
import { describe, expect, it } from 'vitest';
import { scanMarkers } from '../../dist/transformer/core/index.js';

describe('scanMarkers', () => {
  it('lists marked functions by the names importers use, with their worker export names', () => {
    const source = `import { cpuBoundFork } from 'tsfork';
/** @cpuBoundFork */
export function fib(n: number): number { return n; }
/** @ioBoundFork */
export const load = async (url: string, retries: number) => url + retries;
/** @cpuBound */
function hidden(x: number) { return x; }
export { hidden as visible };
export class Shapes {
  @cpuBoundFork static area(w: number, h: number) { return w * h; }
}
/** @cpuBoundFork */
export default function main() {}
`;
    expect(scanMarkers(source, '/p/lib.ts')).toEqual([
      { name: 'fib', kind: 'cpuBoundFork', exported: true, async: false, params: 1, workerExport: 'fib' },
      { name: 'load', kind: 'ioBoundFork', exported: true, async: true, params: 2, workerExport: 'load' },
      { name: 'hidden', kind: 'cpuBound', exported: false, async: false, params: 1, workerExport: 'hidden' },
      { name: 'visible', kind: 'cpuBound', exported: true, async: false, params: 1, workerExport: 'hidden' },
      { name: 'Shapes.area', kind: 'cpuBoundFork', exported: true, async: false, params: 2, workerExport: '__tsfork_Shapes_area' },
      { name: 'main', kind: 'cpuBoundFork', exported: false, async: false, params: 0, workerExport: 'default' },
      { name: 'default', kind: 'cpuBoundFork', exported: true, async: false, params: 0, workerExport: 'default' },
    ]);
  });

  it('ignores nested marked functions and files without markers', () => {
    expect(scanMarkers('function f() { /** @cpuBoundFork */ const g = () => 1; return g; }', '/p/a.ts')).toEqual([]);
    expect(scanMarkers('export const x = 1;', '/p/b.js')).toEqual([]);
  });
});
