// How functions reach workers, and the errors at the fork call when they cannot.
import { describe, expect, it } from 'vitest';
import { fork, join, toFunctionRef, loadFunction, ForkError } from 'tsfork';
import { fixture } from './helpers.js';
import { pathToFileURL } from 'node:url';

const outside = 10;

describe('function refs', () => {
  it('send self-contained functions as source (globals allowed, all local scopes understood)', () => {
    const f = function scopes(a: number, { b = 2 }: { b?: number } = {}, ...rest: number[]) {
      let total = a + b + rest.length;
      for (const k of [1, 2]) total += k;
      try { JSON.parse('{'); } catch ({ message }) { total += String(message).length > 0 ? 1 : 0; }
      const inner = (x: number) => x + total;
      class Box { v = 1; get() { return this.v; } }
      label: for (let i = 0; i < 1; i++) { continue label; }
      return inner(Math.max(a, new Box().get()));
    };
    expect(toFunctionRef(f)).toMatchObject({ name: 'scopes' });
    expect(join(fork(f, 1))).toBe(1 + 2 + 0 + 3 + 1 + 1 + 0);
  });

  it('fail at the fork call naming the function and the free variable', () => {
    const usesOutside = function usesOutside(x: number) { return x + outside; };
    expect(() => fork(usesOutside, 1)).toThrow(ForkError);
    expect(() => fork(usesOutside, 1)).toThrow(/fork\(usesOutside\): usesOutside uses 'outside' from outside the function \(first at line \d+, column \d+ of usesOutside\); a worker cannot see it/);
    let counter = 0;
    const writes = () => { counter = 1; };
    expect(() => fork(writes)).toThrow(/uses 'counter'/);
    const arrowThis = () => (this as any)?.x;
    expect(() => fork(arrowThis)).toThrow(/uses 'this'/);
    const blockScoped = function blockScoped() { { const hidden = 1; void hidden; } return (globalThis as any).hidden ?? hiddenLater; };
    expect(() => fork(blockScoped)).toThrow(/uses 'hiddenLater'/);
  });

  it('refuse native and bound functions and classes', () => {
    expect(() => fork(Math.max as any, 1)).toThrow(/max is a native or bound function/);
    expect(() => fork(function f() { return 1; }.bind(null))).toThrow(/native or bound/);
    class K {}
    expect(() => fork(K as any)).toThrow(/K is a class/);
  });

  it('fail at the fork call naming the argument that cannot be cloned', () => {
    const id = function id(...xs: unknown[]) { return xs.length; };
    expect(() => fork(id, 1, () => 2)).toThrow(/fork\(id, \.\.\.\): argument 2 \(function <anonymous>\) cannot be sent to a worker/);
    expect(() => fork(id, 'a', 'b', Symbol('s'))).toThrow(/argument 3 \(Symbol\(s\)\)/);
    expect(() => fork(id, { nested: { fn() {} } })).toThrow(/argument 1 \(Object\)/);
  });

  it('load by module reference, unwrapping fork wrappers', async () => {
    const mod = pathToFileURL(fixture('nested.mjs')).href;
    const level3 = loadFunction({ module: mod, name: 'level3' });
    expect(level3(5)).toEqual([0, 5]);
    expect(() => loadFunction({ module: mod, name: 'missing' })).toThrow(/export 'missing' of .* is missing/);
    const m = loadFunction(toFunctionRef(class { static m(x: number) { return x + 1; } }.m));
    expect(m(1)).toBe(2);
  });
});
