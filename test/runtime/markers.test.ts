// Markers choose the pool (cpu, io) or inline (unsafe), and fork wrappers make every call a fork.
import { describe, expect, it } from 'vitest';
import { META, cpuBound, ioBound, unsafe, cpuBoundFork, ioBoundFork, hoist, fork, join, isLazy, type Lazy } from 'tsfork';

import ts from 'typescript';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { fixture, runNode } from './helpers.js';

const threadOf = () => process.getBuiltinModule('node:worker_threads').threadId;

describe('markers', () => {
  it('set the kind on the function and return it', () => {
    const f = (x: number) => x;
    expect(cpuBound(f)).toBe(f);
    expect((f as any)[META].kind).toBe('cpu');
    expect((ioBound(f) as any)[META].kind).toBe('io');
    expect((unsafe(f) as any)[META].kind).toBe('unsafe');
    expect(() => cpuBound(42 as any)).toThrow('cpuBound(fn): expected a function, got number');
  });

  it('unsafe functions run inline, in the calling thread; io functions on the io pool', async () => {
    expect(join(fork(unsafe(threadOf)))).toBe(0);
    // Inline means before fork returns, in this thread: the call's side effect is already here.
    const order: string[] = [];
    const record = unsafe(function record(x: number) { order.push(`ran ${x}`); return x; });
    const r = fork(record, 1);
    order.push('forked');
    expect(order).toEqual(['ran 1', 'forked']);
    expect(join(r)).toBe(1);
    const io = ioBound(async function ioThread() {
      await new Promise((r) => setTimeout(r, 5));
      return process.getBuiltinModule('node:worker_threads').threadId;
    });
    expect(await fork(io)).toBeGreaterThan(0);
  });

  it('fork refuses what is not a function, naming what it got', () => {
    expect(() => fork(42 as never)).toThrow(new TypeError('fork(fn, ...args): expected a function as the first argument, got number'));
    expect(() => fork(undefined as never)).toThrow(/got undefined$/);
    expect(() => fork(null as never)).toThrow(/got null$/);
  });

  it('cpuBoundFork / ioBoundFork return a wrapper whose every call is a fork', async () => {
    const square = cpuBoundFork(function square(x: number) { return x * x; });
    const r: Lazy<number> = square(9);
    expect(isLazy(r)).toBe(true);
    expect(join(r)).toBe(81);
    expect(square.name).toBe('square');
    const later = ioBoundFork(async function later(x: string) { await new Promise((r) => setTimeout(r, 5)); return x + '!'; });
    expect(await later('hi')).toBe('hi!');
    // fork of a wrapper forks the wrapped function, never a fork of a fork
    expect(join(fork(square, 3))).toBe(9);
  });

  it('work as TS standard decorators on static methods', () => {
    const source = readFileSync(fixture('decorator.ts'), 'utf8');
    const js = ts.transpileModule(source, { compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext } }).outputText;
    const dir = fileURLToPath(new URL('../.tmp/', import.meta.url));
    mkdirSync(dir, { recursive: true });
    writeFileSync(`${dir}runtime-decorator.mjs`, js);
    const r = runNode(`${dir}runtime-decorator.mjs`);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('true 12 hi!\n');
  });

  it('refuse to decorate instance methods', () => {
    const decorate = cpuBoundFork as unknown as (v: Function, c: object) => unknown;
    expect(() => decorate(function m() {}, { kind: 'method', static: false, name: 'm' }))
      .toThrow("@cpuBoundFork decorates static methods only; 'm' is a non-static method");
  });

  it('hoist records a module reference, and validates it', () => {
    const f = function exported() { return 1; };
    hoist(f, 'file:///x/mod.js', 'exported', 'io');
    expect((f as any)[META]).toEqual({ kind: 'io', ref: { module: 'file:///x/mod.js', name: 'exported' } });
    expect(() => hoist(f, './mod.js', 'exported')).toThrow('moduleUrl must be an absolute file: URL');
    expect(() => hoist(f, 'file:///x/mod.js', '')).toThrow('exportName must be a non-empty string');
  });
});
