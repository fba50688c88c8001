// THE list of execution cases: each is a small sequential program. Every front end (tspc, Babel, register) builds
// it with and without the transform, runs both, and the outputs (stdout and exit code) must be the same.
// Files are TypeScript sources relative to the case's own folder; imports between them use .js specifiers.

export interface ExecCase {
  name: string;
  /** relative path -> source text */
  files: Record<string, string>;
  /** the entry file, one of `files` */
  main: string;
  /** expected exit code of both runs (default 0) */
  exitCode?: number;
  /** extra node flags for both runs */
  nodeArgs?: string[];
  /** the parallel run's stderr must match (e.g. a stack naming the .ts line that threw) */
  parallelStderr?: RegExp;
  /** the program imports tsfork itself (the decorator form), so its plain tsc build forks too */
  forksWhenSequential?: boolean;
  /** module formats to build it in (default both) */
  formats?: ('esm' | 'cjs')[];
}

const fibSource = `
/** @cpuBoundFork */
export function fib(n: number): number {
  return n < 2 ? n : fib(n - 1) + fib(n - 2);
}
`;

export const cases: ExecCase[] = [
  {
    name: 'thumbnail-loop',
    main: 'main.ts',
    files: {
      'main.ts': `import { mkdirSync, readFileSync, writeFileSync, rmSync } from 'node:fs';

const dir = 'thumbs-' + process.pid;

/** @cpuBoundFork */
function createThumbnail(name: string): void {
  let h = 0;
  for (let i = 0; i < 200_000; i++) h = (h * 31 + name.charCodeAt(i % name.length)) | 0;
  writeFileSync(dir + '/' + name + '.thumb', name + ':' + h);
}

mkdirSync(dir, { recursive: true });
const images = ['cat', 'dog', 'bird', 'fish', 'lion', 'wolf'];
for (const img of images) createThumbnail(img);
for (const img of images) console.log(readFileSync(dir + '/' + img + '.thumb', 'utf8'));
rmSync(dir, { recursive: true });
`,
    },
  },
  {
    name: 'map-over-inputs',
    main: 'main.ts',
    files: {
      'main.ts': `${fibSource}
const inputs = [20, 21, 22, 23];
const results = inputs.map((n) => fib(n));
console.log(results.join(','));
const again = inputs.map(fib);
console.log(typeof again[0] === 'number', again[3] === 28657);
`,
    },
  },
  {
    name: 'two-calls-one-expression',
    main: 'main.ts',
    files: {
      'main.ts': `${fibSource}
const total = fib(22) + fib(23);
console.log('total', total, typeof total, total === 46368);
function both(): string {
  return fib(10) + '/' + fib(11);
}
console.log(both());
`,
    },
  },
  {
    name: 'push-in-loop',
    main: 'main.ts',
    files: {
      'main.ts': `${fibSource}
const out: number[] = [];
for (let n = 15; n < 21; n++) {
  out.push(fib(n));
}
console.log(out.length, out.join(' '));
const squares: number[] = [];
for (const n of [3, 4, 5]) {
  const r = fib(n);
  squares.push(r);
}
console.log(squares);
`,
    },
  },
  {
    name: 'store-in-loop',
    main: 'main.ts',
    files: {
      'main.ts': `${fibSource}
const out: number[] = new Array(6);
for (let i = 0; i < 6; i++) out[i] = fib(15 + i);
console.log(out.join(' '), out.every((v) => typeof v === 'number'));
const byName: Record<string, number> = {};
for (const name of ['a', 'bb', 'ccc']) {
  const v = fib(name.length + 10);
  byName[name] = v;
}
console.log(JSON.stringify(byName));
const chained: number[] = [1];
for (let i = 1; i < 4; i++) chained[i] = fib((chained[i - 1]! % 10) + 5);
console.log(chained);
`,
    },
  },
  {
    name: 'jumps-out-of-blocks',
    main: 'main.ts',
    files: {
      'main.ts': `${fibSource}
/** @cpuBoundFork */
function check(n: number): number {
  if (n < 0) throw new RangeError('negative: ' + n);
  return n;
}
function validate(n: number): string {
  try {
    switch (n) {
      case 0:
        const c = check(-1);
        break;
      default:
        const d = check(n);
    }
    return 'valid';
  } catch (e) {
    return 'caught ' + (e as Error).message;
  }
}
console.log(validate(0), validate(5));
const firsts: number[] = [];
outer: for (const row of [[1, 2], [3, 4], [6, 7]]) {
  for (const n of row) {
    const v = fib(n + 5);
    firsts.push(v);
    if (n % 2 === 1) continue outer;
  }
}
console.log(firsts);
let guarded = 'none';
try {
  block: {
    const bad = check(-7);
    if (guarded === 'none') break block;
    guarded = 'after';
  }
} catch (e) {
  guarded = (e as Error).constructor.name;
}
console.log(guarded);
`,
    },
  },
  {
    name: 'error-class-identity',
    main: 'main.ts',
    files: {
      'main.ts': `/** @cpuBoundFork */
function parse(text: string): number {
  const n = Number(text);
  if (Number.isNaN(n)) throw new ParseError(text);
  if (n < 0) throw new RangeProblem(n);
  return n;
}
export class ParseError extends Error {
  readonly input: string;
  constructor(input: string) {
    super('not a number: ' + input);
    this.name = 'ParseError';
    this.input = input;
  }
}
class RangeProblem extends Error {
  constructor(readonly value: number) { super('negative: ' + value); }
}
for (const t of ['1', 'x', '-2']) {
  try {
    console.log(parse(t));
  } catch (e) {
    console.log(e instanceof ParseError, e instanceof RangeProblem, e instanceof Error, (e as Error).name, (e as Error).message);
  }
}
`,
    },
  },
  {
    name: 'class-instance-results',
    main: 'main.ts',
    files: {
      'main.ts': `export class Point {
  constructor(readonly x: number, readonly y: number) {}
  norm(): number { return Math.hypot(this.x, this.y); }
}
class Box {
  constructor(readonly corner: Point) {}
  area(): number { return this.corner.x * this.corner.y; }
}
/** @cpuBoundFork */
function mk(n: number): Point { return new Point(n, n + 1); }
/** @cpuBoundFork */
function boxes(n: number): { all: Box[]; when: Date } {
  return { all: [new Box(new Point(n, 2)), new Box(new Point(1, n))], when: new Date(0) };
}
const p = mk(3);
console.log(p instanceof Point, p.norm().toFixed(3));
const b = boxes(4);
console.log(b.all.map((x) => x.area()), b.all[0] instanceof Box, b.all[1]!.corner instanceof Point, b.when.getTime());
const many: Point[] = [];
for (let i = 0; i < 6; i++) many.push(mk(i));
console.log(many.map((q) => q.norm().toFixed(2)).join(' '));
`,
    },
  },
  {
    name: 'loops-with-failures',
    main: 'main.ts',
    files: {
      'main.ts': `/** @cpuBoundFork */
function half(n: number): number {
  if (n % 2) throw new RangeError('odd: ' + n);
  return n / 2;
}
for (const x of [2, 3, 4]) {
  try {
    half(x);
    console.log('ok', x);
  } catch (e) {
    console.log('skip', x, (e as Error).message);
  }
}
const pushed: number[] = [];
try {
  for (const n of [2, 4, 5, 8]) pushed.push(half(n));
} catch (e) {
  console.log('caught', (e as Error).message);
}
console.log(JSON.stringify(pushed));
const stored: number[] = [10, 10, 10, 10];
const named: Record<string, number> = { a: 0 };
try {
  for (let i = 0; i < 4; i++) stored[i] = half([2, 4, 5, 8][i]!);
} catch (e) {
  console.log('caught', (e as Error).message);
}
try {
  for (const [k, n] of [['a', 2], ['b', 3], ['c', 4]] as const) {
    const h = half(n);
    named[k] = h;
  }
} catch (e) {
  console.log('caught', (e as Error).message);
}
console.log(JSON.stringify(stored), JSON.stringify(named));
const thrown: number[] = [];
try {
  for (let j = 0; j < 3; j++) {
    thrown[j] = half(j * 2 + 2);
    if (j === 1) throw new Error('stop at 1');
  }
} catch (e) {
  console.log((e as Error).message);
}
console.log(thrown.map((x) => typeof x).join(','), JSON.stringify(thrown));
function* halves(ns: number[]) {
  const out: number[] = [];
  for (let i = 0; i < ns.length; i++) {
    out[i] = half(ns[i]!);
    yield i;
  }
  return out;
}
const gen = halves([2, 4, 6]);
for (let r = gen.next(); !r.done; r = gen.next()) console.log('step', r.value);
// Two arrays: the failure of the earliest iteration wins, and both arrays end where that iteration stopped.
const evens: number[] = [];
const odds: number[] = [];
try {
  for (let i = 0; i < 5; i++) {
    evens.push(half(i === 3 ? 1 : 2));
    odds.push(half(i === 1 ? 3 : 4));
  }
} catch (e) {
  console.log('two arrays', (e as Error).message, JSON.stringify(evens), JSON.stringify(odds));
}
// One element stored over and over; an array also popped in the loop (joined at once then).
const last: number[] = [7];
try {
  for (let i = 0; i < 3; i++) last[0] = half(i === 0 ? 1 : 2);
} catch (e) {
  console.log('same key', (e as Error).message, JSON.stringify(last));
}
const popped: number[] = [];
try {
  for (let i = 0; i < 3; i++) {
    popped.push(half(i === 0 ? 1 : 2));
    popped.pop();
  }
} catch (e) {
  console.log('popped', (e as Error).message, JSON.stringify(popped));
}
// Something else in the loop throws: an earlier forked failure still comes first.
const parsed: number[] = [];
try {
  for (const text of ['2', '3', 'oops', '4']) {
    parsed.push(half(Number(text) + 1));
    JSON.parse(text);
  }
} catch (e) {
  console.log('other throw', (e as Error).message, JSON.stringify(parsed));
}
// Stores that grew an array are undone with its length; plain pushes after the failure are cut too.
const grown: (number | null)[] = [];
const marks: number[] = [];
try {
  for (let i = 0; i < 5; i++) {
    if (i % 2) grown[i] = null;
    else grown[i] = half(i === 2 ? 1 : 2);
    const h = half(i === 3 ? 1 : 2);
    if (i % 2) marks.push(h);
    else marks.push(-1);
  }
} catch (e) {
  console.log('grown', (e as Error).message, JSON.stringify(grown), grown.length, JSON.stringify(marks));
}
// Nested loops filling one array: in flight until the outer loop ends.
const grid: number[] = [];
for (let r = 0; r < 3; r++) for (let c = 0; c < 3; c++) grid.push(half((r * 3 + c) * 2));
console.log(grid.join(' '));
`,
    },
  },
  {
    // Issue 9 (6): a failed call in a loop shows none of the later iterations' effects: output, counters, pushes
    // into arrays no fork fills (the loop joins each call at once when it has effects the log cannot undo).
    name: 'loop-effects-after-failure',
    main: 'main.ts',
    files: {
      'main.ts': `/** @cpuBoundFork */
function half(n: number): number {
  if (n % 2) throw new RangeError('odd: ' + n);
  return n / 2;
}
let count = 0;
const seen: number[] = [];
try {
  for (const n of [2, 4, 5, 8, 10]) {
    console.log('step', n);
    const h = half(n);
    seen.push(h);
    count++;
  }
} catch (e) {
  console.log('caught', (e as Error).message);
}
console.log(count, JSON.stringify(seen));
const got: number[] = [];
const marks: number[] = [];
try {
  for (let i = 0; i < 4; i++) {
    got.push(half(i === 2 ? 3 : 2));
    marks.push(i);
  }
} catch (e) {
  console.log('caught', (e as Error).message, JSON.stringify(got), JSON.stringify(marks));
}
let calls = 0;
try {
  for (const n of [2, 3, 4]) {
    half(n);
    calls += 1;
  }
} catch (e) {
  console.log('caught', (e as Error).message, calls);
}
const labels: string[] = [];
try {
  for (const n of [2, 4, 7, 6]) labels.push(String(half(n)).padStart(3, '0'));
} catch (e) {
  console.log('caught', (e as Error).message, labels.join(' '));
}
`,
    },
  },
  {
    name: 'imported-class-results',
    main: 'main.ts',
    files: {
      'geometry.ts': `export class Vec {
  constructor(readonly x: number, readonly y: number) {}
  length(): number { return Math.hypot(this.x, this.y); }
}
export class BadShape extends Error {
  constructor(readonly sides: number) { super('no shape has ' + sides + ' sides'); this.name = 'BadShape'; }
}
`,
      'main.ts': `import { Vec, BadShape } from './geometry.js';
/** @cpuBoundFork */
function corners(sides: number): Vec[] {
  if (sides < 3) throw new BadShape(sides);
  let spin = 0;
  for (let i = 0; i < 2e6; i++) spin = (spin + i) % 7;
  return Array.from({ length: sides }, (_, i) => new Vec(Math.round(Math.cos(i) * 10) + spin * 0, Math.round(Math.sin(i) * 10)));
}
const shapes: Vec[][] = [];
for (const n of [3, 4, 5, 6]) shapes.push(corners(n));
console.log(shapes.map((s) => s.every((v) => v instanceof Vec)).join(' '), shapes[1]![2]!.length().toFixed(3));
try {
  console.log(corners(2).length);
} catch (e) {
  console.log(e instanceof BadShape, (e as BadShape).sides, (e as Error).message);
}
`,
    },
  },
  {
    name: 'captured-local',
    main: 'main.ts',
    files: {
      'main.ts': `function run(scale: number, label: string): void {
  const offset = 7;
  /** @cpuBoundFork */
  const work = (x: number) => label + ':' + (x * scale + offset);
  const values = [1, 2, 3].map((x) => work(x));
  console.log(values.join(' '));
  console.log(work(10));
}
run(3, 'a');
run(5, 'b');
`,
    },
  },
  {
    // Issue 9 item 3: tspc refused every capture of a string[] (it walked Array's own methods as if they were data).
    name: 'captured-cloneable-values',
    main: 'main.ts',
    files: {
      'main.ts': `enum Tone { Light = 'light', Dark = 'dark' }
interface Cell { label: string; weight?: number; tags: readonly string[] }
class Span { constructor(readonly from: number, readonly to: number) {} }

function render(palette: string[], tone: Tone): string[] {
  const pair: [string, number] = ['n', 2];
  const byName = new Map<string, number>([['a', 1], ['b', 2]]);
  const seen = new Set<number>([3, 4]);
  const when = new Date(86_400_000);
  const pattern = /r(o)w/g;
  const bytes = new Uint8Array([5, 6, 7]);
  const buffer = new ArrayBuffer(4);
  const problem = new RangeError('too wide');
  const table: Record<string, number> = { x: 1, y: 2 };
  const cell: Cell = { label: 'c', tags: ['t1', 't2'] };
  const big = 10n ** 20n;
  const nothing: string | null = null;
  const span = new Span(1, 9);
  const mixed: (string | number)[] = ['m', 1];
  /** @cpuBoundFork */
  const renderRow = (row: number): string => [
    row, palette[row % palette.length], tone, pair.join(':'), byName.get('b'), [...seen].join('+'),
    when.toISOString(), pattern.source + pattern.flags, bytes.join('.'), buffer.byteLength,
    problem instanceof RangeError, problem.message, table.y, cell.label + (cell.weight ?? 0) + cell.tags.length,
    String(big), nothing, span.to - span.from, mixed.length,
  ].join(' ');
  return [0, 1, 2].map((row) => renderRow(row));
}

for (const line of render(['red', 'green'], Tone.Dark)) console.log(line);
`,
    },
  },
  {
    name: 'import-prints-on-load',
    main: 'main.ts',
    files: {
      'lib.ts': `console.log('lib loaded');
/** @cpuBoundFork */
export function slowSquare(x: number): number {
  let s = 0;
  for (let i = 0; i < 100_000; i++) s += i % 3;
  return x * x + (s - s);
}
`,
      'main.ts': `import { slowSquare } from './lib.js';
console.log('main starts');
const xs: number[] = [];
for (let i = 1; i <= 6; i++) xs.push(slowSquare(i));
console.log(xs.join(','));
`,
    },
  },
  {
    name: 'nested-forks-across-modules',
    main: 'main.ts',
    files: {
      'shapes.ts': `console.log('shapes loaded');
/** @cpuBoundFork */
export function area(w: number, h: number): number {
  return w * h;
}
`,
      'main.ts': `import { area } from './shapes.js';
console.log('main loaded');
/** @cpuBoundFork */
function totalArea(n: number): number {
  // long enough that the pool's workers take these calls (a worker loading main's worker module must not run shapes.ts)
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 150);
  const parts: number[] = [];
  for (let i = 1; i <= n; i++) parts.push(area(i, n));
  return parts.reduce((a, b) => a + b, 0);
}
console.log([2, 3, 4, 5].map((n) => totalArea(n)).join(' '));
`,
    },
  },
  {
    name: 'async-io-bound',
    main: 'main.ts',
    files: {
      'main.ts': `/** @ioBoundFork */
async function fetchLength(text: string, ms: number): Promise<number> {
  await new Promise((resolve) => setTimeout(resolve, ms));
  return text.length;
}

async function main(): Promise<void> {
  const a = fetchLength('hello', 30);
  const b = fetchLength('parallel world', 20);
  console.log(await a, await b);
  const all = await Promise.all(['x', 'yy', 'zzz'].map((s) => fetchLength(s, 10)));
  console.log(all);
}
main().then(() => console.log('done'));
`,
    },
  },
  {
    name: 'error-caught-at-use',
    main: 'main.ts',
    files: {
      'main.ts': `/** @cpuBoundFork */
function checked(n: number): number {
  if (n < 0) throw new RangeError('negative input ' + n);
  return n * 2;
}

try {
  const v = checked(-1);
  console.log('value', v);
} catch (e) {
  console.log('caught', e instanceof RangeError, (e as Error).message);
}
try {
  console.log(checked(4) + checked(-5));
} catch (e) {
  console.log('caught again', (e as Error).name, (e as Error).message);
}
console.log('after', checked(21));
`,
    },
  },
  {
    name: 'uncaught-error',
    main: 'main.ts',
    exitCode: 1,
    nodeArgs: ['--enable-source-maps'],
    // the first frame of the stack is the throw in the original .ts
    parallelStderr: /TypeError: too big: \d+\n\s+at explode \([^\n]*main\.ts:4:\d+\)/,
    files: {
      'main.ts': `/** @cpuBoundFork */
function explode(n: number): number {
  if (n > 2) {
    throw new TypeError('too big: ' + n);
  }
  return n;
}
console.log('start');
const results: number[] = [];
for (let i = 0; i < 5; i++) results.push(explode(i));
console.log('unreachable', results);
`,
    },
  },
  {
    name: 'nested-forks',
    main: 'main.ts',
    files: {
      'main.ts': `/** @cpuBoundFork */
function leaf(n: number): number {
  let s = 0;
  for (let i = 0; i < 50_000; i++) s = (s + i * n) % 1000003;
  return s;
}

/** @cpuBoundFork */
function branch(n: number): number {
  const parts: number[] = [];
  for (let i = 0; i < 4; i++) parts.push(leaf(n * 10 + i));
  return parts.reduce((a, b) => a + b, 0);
}

const totals = [1, 2, 3].map((n) => branch(n));
console.log(totals);
`,
    },
  },
  {
    name: 'static-method-decorator',
    forksWhenSequential: true,
    main: 'main.ts',
    files: {
      'main.ts': `import { cpuBoundFork } from 'tsfork';

class Geometry {
  @cpuBoundFork
  static area(w: number, h: number): number {
    let a = 0;
    for (let i = 0; i < w; i++) a += h;
    return a;
  }
}

const a = Geometry.area(3000, 4);
const b = Geometry.area(5, 6);
console.log(String(a + b), a * 1 === 12000);
`,
    },
  },
  {
    // Issue 9: nested marked functions of one name in two functions (the worker module declared 'g' twice).
    name: 'repeated-nested-names',
    main: 'main.ts',
    files: {
      'main.ts': `function a(k: number): number {
  /** @cpuBoundFork */
  const g = (x: number) => x + k;
  return g(1) + g(2);
}
function b(): number {
  /** @cpuBoundFork */
  const g = (x: number): number => (x <= 0 ? 0 : g(x - 1) + 2);
  return g(3);
}
function c(k: number): number {
  /** @cpuBoundFork */
  function g(x: number): number {
    return x <= 0 ? k : g(x - 1) * 2;
  }
  return g(2);
}
console.log(a(10), b(), c(1));
`,
    },
  },
  {
    // Nested marked functions named like module-level ones (or an outer nested one), and user names that look
    // like generated ones (the runtime namespace, the worker URL, temps, loop logs).
    name: 'shadowed-names',
    main: 'main.ts',
    files: {
      'main.ts': `const scale = 3;
const __tsfork = 'mine';
const __tsfork_worker = 'also mine';
const __tsfork_t1 = 1;
const __tsfork_log1 = 'log';

/** @cpuBoundFork */
function fib(n: number): number {
  return n < 2 ? n * scale : fib(n - 1) + fib(n - 2);
}

function run(k: number): number[] {
  /** @cpuBoundFork */
  const scale = (x: number) => x * k;
  /** @cpuBoundFork */
  const fib = (x: number) => x + 1;
  const out = [scale(2), fib(1)];
  {
    /** @cpuBoundFork */
    const scale = (x: number) => x - k;
    out.push(scale(5));
  }
  for (let i = 0; i < 3; i++) out.push(scale(i));
  return out;
}
console.log(fib(6) + fib(7) + __tsfork_t1, run(4), __tsfork, __tsfork_worker, __tsfork_log1);
`,
    },
  },
  {
    name: 'recursive-fib',
    main: 'main.ts',
    files: {
      'main.ts': `${fibSource}
console.log(fib(25));
`,
    },
  },
];
