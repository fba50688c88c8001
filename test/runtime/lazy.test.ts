// Lazy results behave like the value and wait only when the value is needed.
import { describe, expect, it } from 'vitest';
import { inspect } from 'node:util';
import { fork, join, isLazy, unsafe } from 'tsfork';

const value = <T>(v: T) => fork(function identity(x: T) { return x; }, v);

describe('lazy results', () => {
  it('are lazy, and join gives the value; join of anything else returns it unchanged', () => {
    const r = value(41);
    expect(isLazy(r)).toBe(true);
    expect(join(r)).toBe(41);
    expect(isLazy(41)).toBe(false);
    const plain = { a: 1 };
    expect(join(plain)).toBe(plain);
    expect(join(undefined)).toBe(undefined);
  });

  it('wait on property access, method calls and indexing', () => {
    const o = value({ name: 'ada', tags: ['x', 'y'] });
    expect(o.name).toBe('ada');
    expect(o.tags[1]).toBe('y');
    const s = value('hello');
    expect(s.toUpperCase()).toBe('HELLO');
    expect(s.length).toBe(5);
    expect(s[1]).toBe('e');
    const a = value([3, 1, 2]);
    expect(a.map((x: number) => x * 2)).toEqual([6, 2, 4]);
    expect('tags' in o).toBe(true);
    expect(Object.keys(o)).toEqual(['name', 'tags']);
    expect(a instanceof Array).toBe(true);
  });

  it('iterate, convert to strings and take part in arithmetic and comparison', () => {
    expect([...value([1, 2, 3])]).toEqual([1, 2, 3]);
    const n = value(6);
    expect(String(n)).toBe('6');
    expect(`${n} items`).toBe('6 items');
    expect((n as unknown as number) * 7).toBe(42);
    expect((n as unknown as number) + 1).toBe(7);
    expect((n as unknown as number) > 5).toBe(true);
    expect((n as unknown as number) < 5).toBe(false);
    expect(Math.max(n as unknown as number, 2)).toBe(6);
  });

  it('serialize with JSON.stringify, including values with their own toJSON', () => {
    expect(JSON.stringify({ v: value({ a: [1, null] }) })).toBe('{"v":{"a":[1,null]}}');
    expect(JSON.stringify(value(new Date(0)))).toBe('"1970-01-01T00:00:00.000Z"');
  });

  it('are thenable: await gives the value', async () => {
    expect(await value({ ok: true })).toEqual({ ok: true });
    const failing = fork(function fails() { throw new TypeError('nope'); });
    await expect(failing).rejects.toThrow(TypeError);
  });

  it('show the value in console.log / util.inspect', () => {
    expect(inspect(value({ a: 1 }))).toBe('{ a: 1 }');
  });

  it('surface an exception at the join, not at the fork (also for unsafe, inline forks)', () => {
    const boom = unsafe(function boom() { throw new Error('at join'); });
    const r = fork(boom);
    expect(() => join(r)).toThrow('at join');
  });
});
