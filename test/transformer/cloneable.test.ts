// TS97005's type check (transformer/typescript/cloneable.ts), table-driven: each row declares a value of a type,
// the checker's verdict on the type must be the expected one, and the value itself is sent through structuredClone
// here, so each verdict is confirmed by what a worker would really receive.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { uncloneableReason } from '../../dist/transformer/typescript/cloneable.js';
import { repoRoot } from '../exec/project.js';

/** What structuredClone does with the sample: copies it, throws, or copies it without methods the code could call. */
type Outcome = 'copies' | 'throws' | 'loses methods';
interface Row { type: string; sample: string; outcome: Outcome; reason?: string }

const prelude = `
import { EventEmitter } from 'node:events';
import { MessageChannel } from 'node:worker_threads';
export { EventEmitter };
export const enum Never { A } // const enums leave nothing to capture; declared to show they type-check alongside
export enum Color { Red, Green }
export enum Tone { Light = 'light', Dark = 'dark' }
export interface Cell { label: string; weight?: number; tags: readonly string[] }
export interface Shape { width: number; area(): number }
export interface Logger { name: string; log?: (line: string) => void }
export class Span { constructor(readonly from: number, readonly to: number) {} }
export class Vec { constructor(readonly x: number, readonly y: number) {} len(): number { return Math.hypot(this.x, this.y); } }
export class Vec3 extends Vec { z = 0; }
export class Temp { constructor(private c: number) {} get f(): number { return this.c * 9 / 5 + 32; } }
export class Ticker { count = 0; onTick = () => { this.count++; }; }
export class Counts extends Map<string, number> {}
export interface Tree { value: number; children: Tree[] }
export type Deep<T> = { next: Deep<T[]> };
export type Json = string | number | boolean | null | Json[] | { [k: string]: Json };
export interface Box<T> { value: T; items: T[] }
export type Usd = number & { readonly __brand: unique symbol };
export const key: unique symbol = Symbol('key');
export function cyclic(): any { const o: any = {}; o.next = o; return o; }
export const port = new MessageChannel().port1; port.unref();
`;

const rows: Row[] = [
  // primitives, enums, literals
  { type: 'string', sample: "'a'", outcome: 'copies' },
  { type: 'number', sample: '1.5', outcome: 'copies' },
  { type: 'boolean', sample: 'true', outcome: 'copies' },
  { type: 'bigint', sample: '10n ** 20n', outcome: 'copies' },
  { type: 'null', sample: 'null', outcome: 'copies' },
  { type: 'undefined', sample: 'undefined', outcome: 'copies' },
  { type: "'up' | 'down'", sample: "'up'", outcome: 'copies' },
  { type: '`id-${number}`', sample: "'id-4'", outcome: 'copies' },
  { type: 'Color', sample: 'Color.Green', outcome: 'copies' },
  { type: 'Tone', sample: 'Tone.Dark', outcome: 'copies' },
  { type: 'typeof Color', sample: 'Color', outcome: 'copies' },
  { type: 'Usd', sample: '5 as Usd', outcome: 'copies' },
  { type: 'any', sample: '{ a: 1 }', outcome: 'copies' },
  { type: 'unknown', sample: '[1]', outcome: 'copies' },
  { type: 'object', sample: '{ b: [2] }', outcome: 'copies' },
  // arrays and tuples (the reported bug: string[] was refused for Array's own toString)
  { type: 'string[]', sample: "['red', 'green']", outcome: 'copies' },
  { type: 'number[]', sample: '[1, 2]', outcome: 'copies' },
  { type: 'readonly string[]', sample: "['a']", outcome: 'copies' },
  { type: 'ReadonlyArray<number>', sample: '[3]', outcome: 'copies' },
  { type: '(string | number)[][]', sample: "[['a', 1], []]", outcome: 'copies' },
  { type: '[string, number]', sample: "['n', 2]", outcome: 'copies' },
  { type: 'readonly [number, ...string[]]', sample: "[1, 'x', 'y']", outcome: 'copies' },
  { type: '[label: string, weight?: number]', sample: "['w']", outcome: 'copies' },
  // plain objects
  { type: '{ x: number; y?: string }', sample: '{ x: 1 }', outcome: 'copies' },
  { type: 'Cell', sample: "{ label: 'c', tags: ['t'] }", outcome: 'copies' },
  { type: 'Partial<Cell>', sample: '{}', outcome: 'copies' },
  { type: 'Record<string, number>', sample: '{ a: 1, b: 2 }', outcome: 'copies' },
  { type: '{ [k: string]: string[] }', sample: "{ k: ['v'] }", outcome: 'copies' },
  { type: '{ a: number } & { b: string }', sample: "{ a: 1, b: 'b' }", outcome: 'copies' },
  { type: '{ readonly total: number }', sample: '{ get total() { return 3; } }', outcome: 'copies' },
  { type: 'Box<string>', sample: "{ value: 'v', items: ['i'] }", outcome: 'copies' },
  { type: 'Tree', sample: '{ value: 1, children: [{ value: 2, children: [] }] }', outcome: 'copies' },
  { type: 'Deep<number>', sample: 'cyclic()', outcome: 'copies' },
  { type: 'Json', sample: "{ a: [1, 'two', null, { b: true }] }", outcome: 'copies' },
  { type: 'string | number[] | null', sample: '[1]', outcome: 'copies' },
  // built-ins the clone rebuilds natively
  { type: 'Map<string, number[]>', sample: "new Map([['a', [1]]])", outcome: 'copies' },
  { type: 'ReadonlyMap<string, Date>', sample: "new Map([['d', new Date(0)]])", outcome: 'copies' },
  { type: 'Set<string>', sample: "new Set(['s'])", outcome: 'copies' },
  { type: 'Date', sample: 'new Date(86_400_000)', outcome: 'copies' },
  { type: 'RegExp', sample: '/r(o)w/gi', outcome: 'copies' },
  { type: 'Uint8Array', sample: 'new Uint8Array([1, 2])', outcome: 'copies' },
  { type: 'Float64Array', sample: 'new Float64Array([0.5])', outcome: 'copies' },
  { type: 'BigInt64Array', sample: 'new BigInt64Array([3n])', outcome: 'copies' },
  { type: 'ArrayBuffer', sample: 'new ArrayBuffer(8)', outcome: 'copies' },
  { type: 'SharedArrayBuffer', sample: 'new SharedArrayBuffer(8)', outcome: 'copies' },
  { type: 'DataView', sample: 'new DataView(new ArrayBuffer(4))', outcome: 'copies' },
  { type: 'Error', sample: "new Error('e')", outcome: 'copies' },
  { type: 'RangeError', sample: "new RangeError('r')", outcome: 'copies' },
  { type: '[Map<string, Set<number>>, Date[]]', sample: "[new Map([['m', new Set([1])]]), [new Date(0)]]", outcome: 'copies' },
  // class instances: data-only classes copy (fields kept); a built-in's subclass is cloned as the built-in
  { type: 'Span', sample: 'new Span(1, 9)', outcome: 'copies' },
  { type: 'Counts', sample: "new Counts([['a', 1]])", outcome: 'copies' },
  // what a worker cannot get
  { type: '() => void', sample: '() => {}', outcome: 'throws', reason: "'v' is a function ('() => void')" },
  { type: 'typeof Span', sample: 'Span', outcome: 'throws', reason: "'v' is a function ('typeof Span')" },
  { type: 'Function', sample: 'Math.max', outcome: 'throws', reason: "'v' is a function ('Function')" },
  { type: 'symbol', sample: "Symbol('s')", outcome: 'throws', reason: "'v' is a symbol ('symbol')" },
  { type: 'typeof key', sample: 'key', outcome: 'throws', reason: "'v' is a symbol ('unique symbol')" },
  { type: 'Shape', sample: '{ width: 2, area() { return 4; } }', outcome: 'throws', reason: "'v.area' is a function ('() => number')" },
  { type: 'Logger', sample: "{ name: 'l', log: (line: string) => {} }", outcome: 'throws', reason: "'v.log' is a function ('(line: string) => void')" },
  { type: '{ a: { b: { c: { f: () => 1 } } } }', sample: '{ a: { b: { c: { f: () => 1 } } } }', outcome: 'throws', reason: "'v.a.b.c.f' is a function ('() => 1')" },
  { type: '(() => void)[]', sample: '[() => {}]', outcome: 'throws', reason: "'v[number]' is a function ('() => void')" },
  { type: '[number, (x: number) => number]', sample: '[1, (x: number) => x]', outcome: 'throws', reason: "'v[1]' is a function ('(x: number) => number')" },
  { type: 'Record<string, () => number>', sample: '{ k: () => 1 }', outcome: 'throws', reason: "'v[string]' is a function ('() => number')" },
  { type: 'Map<string, () => void>', sample: "new Map([['k', () => {}]])", outcome: 'throws', reason: "'v<value>' is a function ('() => void')" },
  { type: 'Set<Promise<void>>', sample: 'new Set([Promise.resolve()])', outcome: 'throws', reason: "'v<element>' is a Promise ('Promise<void>')" },
  { type: 'string | (() => string)', sample: "() => 's'", outcome: 'throws', reason: "'v' is a function ('() => string')" },
  { type: 'Promise<number>', sample: 'Promise.resolve(1)', outcome: 'throws', reason: "'v' is a Promise ('Promise<number>')" },
  { type: 'WeakMap<object, number>', sample: 'new WeakMap()', outcome: 'throws', reason: "'v' is a WeakMap ('WeakMap<object, number>')" },
  { type: 'WeakSet<object>', sample: 'new WeakSet()', outcome: 'throws', reason: "'v' is a WeakSet ('WeakSet<object>')" },
  { type: 'WeakRef<object>', sample: 'new WeakRef({})', outcome: 'throws', reason: "'v' is a WeakRef ('WeakRef<object>')" },
  { type: 'Generator<number>', sample: '(function* () { yield 1; })()', outcome: 'throws', reason: "'v' is a generator ('Generator<number, any, any>')" },
  { type: 'IterableIterator<number>', sample: '[1].values()', outcome: 'throws', reason: "'v' is an iterator ('IterableIterator<number>')" },
  { type: 'Intl.NumberFormat', sample: 'new Intl.NumberFormat()', outcome: 'throws', reason: "'v' is an Intl object ('NumberFormat')" },
  { type: 'typeof port', sample: 'port', outcome: 'throws', reason: "'v' is a MessagePort ('MessagePort'), which can be transferred but not cloned" },
  { type: 'Ticker', sample: 'new Ticker()', outcome: 'throws', reason: "'v.onTick' is a function ('() => void')" },
  // class instances with methods: the copy has the data but not the class
  {
    type: 'Vec', sample: 'new Vec(3, 4)', outcome: 'loses methods',
    reason: "'v' is an instance of class 'Vec', whose methods (len) a worker would not have: a capture arrives as a copy of its data without its class (only results get their class back); capture the data and rebuild the instance inside the function",
  },
  {
    type: 'Vec3', sample: 'new Vec3(1, 2)', outcome: 'loses methods',
    reason: "'v' is an instance of class 'Vec3', whose methods (len) a worker would not have: a capture arrives as a copy of its data without its class (only results get their class back); capture the data and rebuild the instance inside the function",
  },
  {
    type: '{ at: Temp }', sample: '{ at: new Temp(20) }', outcome: 'loses methods',
    reason: "'v.at' is an instance of class 'Temp', whose methods (f) a worker would not have: a capture arrives as a copy of its data without its class (only results get their class back); capture the data and rebuild the instance inside the function",
  },
  {
    type: 'EventEmitter', sample: 'new EventEmitter()', outcome: 'loses methods',
    reason: "'v' is an instance of class 'EventEmitter', whose methods (addListener, on, once, removeListener, ...) a worker would not have: a capture arrives as a copy of its data without its class (only results get their class back); capture the data and rebuild the instance inside the function",
  },
  {
    type: 'URL', sample: "new URL('https://example.com/a')", outcome: 'loses methods',
    reason: "'v' is a URL ('URL'), which a worker receives as an empty object (capture its href)",
  },
  {
    type: 'Buffer', sample: "Buffer.from('ab')", outcome: 'loses methods',
    reason: "'v' is a Buffer ('Buffer<ArrayBufferLike>'), which a worker receives as a plain Uint8Array without Buffer's methods",
  },
];

/** Methods and accessors of `orig`'s prototypes (or of anything it holds) that `copy` lacks: a prototype the copy
 * also has (a built-in the clone rebuilds, Object.prototype) loses nothing. */
function lostMethods(orig: unknown, copy: unknown, seen = new Set<object>()): string[] {
  if (orig === null || typeof orig !== 'object' || seen.has(orig)) return [];
  seen.add(orig);
  const lost: string[] = [];
  const kept = new Set<object>();
  for (let p = copy === null || copy === undefined ? null : Object.getPrototypeOf(copy); p; p = Object.getPrototypeOf(p)) kept.add(p);
  for (let p = Object.getPrototypeOf(orig); p && !kept.has(p); p = Object.getPrototypeOf(p)) {
    for (const k of Object.getOwnPropertyNames(p)) {
      if (k !== 'constructor' && typeof (copy as Record<string, unknown>)?.[k] !== typeof (orig as Record<string, unknown>)[k]) lost.push(k);
    }
  }
  for (const k of Object.keys(orig)) lost.push(...lostMethods((orig as Record<string, unknown>)[k], (copy as Record<string, unknown>)?.[k], seen));
  return lost;
}

function outcomeOf(v: unknown): Outcome {
  let copy: unknown;
  try { copy = structuredClone(v); } catch { return 'throws'; }
  if (lostMethods(v, copy).length > 0) return 'loses methods';
  // (a Map subclass comes back a Map: compare its entries)
  if (v instanceof Map) expect([...(copy as Map<unknown, unknown>)], 'a copied sample keeps its data').toEqual([...v]);
  else expect(copy, 'a copied sample keeps its data').toEqual(v);
  return 'copies';
}

const fileName = join(repoRoot, 'test', '.tmp', 'cloneable', 'table.ts');
const source = prelude + rows.map((r, i) => `export const v${i}: ${r.type} = ${r.sample};\n`).join('')
  + 'export function generic<T extends { run: () => void }, U, K extends keyof U>(t: T, u: U, k: K, d: T["run"] | number) { return [t, u, k, d]; }\n';

function compile() {
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext,
    strict: true, types: ['node'], skipLibCheck: true, noEmit: true,
  };
  const host = ts.createCompilerHost(options);
  const sf = ts.createSourceFile(fileName, source, ts.ScriptTarget.ES2022, true);
  const { getSourceFile, fileExists, readFile } = host;
  host.getSourceFile = (f, ...rest) => (f === fileName ? sf : getSourceFile.call(host, f, ...rest));
  host.fileExists = (f) => f === fileName || fileExists.call(host, f);
  host.readFile = (f) => (f === fileName ? source : readFile.call(host, f));
  const program = ts.createProgram([fileName], options, host);
  return { program, sf: program.getSourceFile(fileName)! };
}

function exportedConst(sf: ts.SourceFile, name: string): ts.Identifier {
  for (const st of sf.statements) {
    if (!ts.isVariableStatement(st)) continue;
    for (const d of st.declarationList.declarations) if (ts.isIdentifier(d.name) && d.name.text === name) return d.name;
  }
  throw new Error(`no const ${name}`);
}

describe('TS97005: which captured types can reach a worker', () => {
  const { program, sf } = compile();
  const checker = program.getTypeChecker();
  const samples: Record<string, unknown> = {};
  const js = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } }).outputText;
  new Function('exports', 'require', js)(samples, createRequire(fileName));

  it('the table has at least 40 types, and every sample is a value of its type (the program type-checks)', () => {
    expect(rows.length).toBeGreaterThanOrEqual(40);
    const errors = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    expect(errors).toEqual([]);
  });

  it.each(rows.map((r, i) => [r.type, r, i] as const))('%s', (_type, row, i) => {
    expect(outcomeOf(samples[`v${i}`]), 'what structuredClone does with the sample').toBe(row.outcome);
    const reason = uncloneableReason(ts, program, checker.getTypeAtLocation(exportedConst(sf, `v${i}`)), 'v');
    if (row.outcome === 'copies') expect(reason).toBeUndefined();
    else expect(reason).toBe(row.reason);
  });

  it('a type parameter holds what its constraint allows; unconstrained ones and keyof pass', () => {
    const fn = sf.statements.find((s): s is ts.FunctionDeclaration => ts.isFunctionDeclaration(s) && s.name?.text === 'generic')!;
    const reasons = fn.parameters.map((p) => uncloneableReason(ts, program, checker.getTypeAtLocation(p.name), (p.name as ts.Identifier).text));
    expect(reasons).toEqual(["'t.run' is a function ('() => void')", undefined, undefined, "'d' is a function ('() => void')"]);
  });
});
