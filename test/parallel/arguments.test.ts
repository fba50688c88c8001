// How items become arguments: single argument, argument lists, arg(...), extras, and the clear errors
// where named parameters cannot be placed.
import { describe, expect, it } from 'vitest';
import { arg, decorate, map, par, future } from 'tsfork';
import { tasks } from './fixtures/load.js';

const { downloadAndStoreAs, getPriceEther } = tasks;

describe('items and arguments', () => {
  it('a non-array item is the one argument, objects included', async () => {
    expect(await map((o: { a: number }) => o.a + 1, [{ a: 1 }, { a: 2 }])).toEqual([2, 3]);
  });

  it('an array item is the argument list; arg([..]) passes an array as one argument', async () => {
    const count = (...xs: unknown[]) => xs.length;
    expect(await map(count, [[1, 2, 3], arg([1, 2, 3]), arg()])).toEqual([3, 1, 0]);
  });

  it('any iterable works, generators included (results in input order)', async () => {
    function* numbers() { for (let i = 0; i < 5; i++) yield i; }
    expect(await map((x: number) => x * 10, numbers())).toEqual([0, 10, 20, 30, 40]);
    expect(await map((x: number) => x + 1, new Set([1, 2]))).toEqual([2, 3]);
  });

  it('extras: the item\'s own keys win', async () => {
    const [r] = await map(downloadAndStoreAs, [['u', 'json', { dbTable: 'mine' }]], { extras: { dbTable: 'x', logLevel: 'debug' } });
    expect(r).toMatchObject({ dbTable: 'mine', logLevel: 'debug' });
  });

  it('extras are added as the trailing options argument when the item has none (after missing optionals)', async () => {
    const results = await map(downloadAndStoreAs, ['https://a.example'], { extras: { dbTable: 't' } });
    expect(results).toEqual([{ url: 'https://a.example', contentType: undefined, dbTable: 't', logLevel: 'info', options: null }]);
  });

  it('decorate extras and a call\'s extras merge, the call\'s keys winning over decorate\'s, the item\'s over both', async () => {
    const store = decorate(downloadAndStoreAs, { extras: { dbTable: 'from-decorate', logLevel: 'debug' } });
    const [a, b] = await store.map(['u1', ['u2', 'json', { logLevel: 'warn' }]], { extras: { dbTable: 'from-call' } });
    expect(a).toMatchObject({ url: 'u1', dbTable: 'from-call', logLevel: 'debug' });
    expect(b).toMatchObject({ url: 'u2', dbTable: 'from-call', logLevel: 'warn' });
    expect(store.mapSync(['u3'])[0]).toMatchObject({ dbTable: 'from-decorate', logLevel: 'debug' });
  });

  it('arg(...) items get no extras', async () => {
    const [r] = await map(downloadAndStoreAs, [arg('u', 'xml')], { extras: { dbTable: 't' } });
    expect(r).toMatchObject({ dbTable: 'websites' });
  });

  it('par tuples get extras merged; futures are passed exactly', async () => {
    const r = await par({ a: [getPriceEther, 'x', {}], b: future(getPriceEther, 'y') }, { extras: { k: 1 } });
    expect(r).toEqual({ a: 'eth@x:{"k":1}', b: 'eth@y' });
  });
});

describe('extras that cannot be placed: a clear error, not a guess', () => {
  it('the last parameter is given a non-object', async () => {
    await expect(map(downloadAndStoreAs, [['u', 'json', 'oops']], { extras: { dbTable: 't' } }))
      .rejects.toThrow(/map: item 0: the last parameter of downloadAndStoreAs \(argument 3\).*the string "oops"/);
  });

  it('more arguments than declared parameters', async () => {
    await expect(map(downloadAndStoreAs, { k: ['u', 'json', {}, 4] }, { extras: { a: 1 } }))
      .rejects.toThrow(/map: key "k": 4 arguments given but downloadAndStoreAs declares 3 parameters/);
  });

  it('a rest parameter and no trailing options object', async () => {
    const f = (...xs: unknown[]) => xs;
    await expect(map(f, [[1, 2]], { extras: { a: 1 } })).rejects.toThrow(/cannot tell where the named parameters \(extras\) go: f has a rest parameter/);
    // with an explicit trailing object it is clear
    expect(await map(f, [[1, { b: 2 }]], { extras: { a: 1 } })).toEqual([[1, { a: 1, b: 2 }]]);
  });
});

describe('bad input: a clear error at the call', () => {
  it('fn is not a function', async () => {
    await expect(map(42 as any, [1])).rejects.toThrow(/map: fn must be a function, got number 42/);
  });

  it('inputs that are not a collection', async () => {
    await expect(map((x: number) => x, 'abc' as any)).rejects.toThrow(/inputs is a string/);
    await expect(map((x: number) => x, 5 as any)).rejects.toThrow(/inputs must be an array, an iterable or a plain object, got number 5/);
  });

  it('an item that cannot be cloned, naming its index or key', async () => {
    const id = (x: unknown) => x;
    await expect(map(id, [1, 2, () => 3])).rejects.toThrow(/map: the arguments of item 2 cannot be sent to a worker/);
    await expect(map(id, { a: 1, fn: [Symbol('s')] })).rejects.toThrow(/key "fn" cannot be sent to a worker/);
    await expect(map(id, [1, () => 2], { executor: 'process' })).rejects.toThrow(/map: the arguments of item 1 cannot be sent to a worker/);
  });

  it('a par entry that is neither a tuple nor a future', async () => {
    await expect(par({ ok: [Math.abs, -1], bad: 'nope' } as any)).rejects.toThrow(/par: entry "bad" is neither \[fn, \.\.\.args\] nor future\(fn, \.\.\.args\): got the string "nope"/);
    await expect(par([[1, 2]] as any)).rejects.toThrow(/par: entry 0 .*first element is number 1/);
  });

  it('a function that cannot reach a worker names the free variable', async () => {
    const factor = 3;
    await expect(map((x: number) => x * factor, [1])).rejects.toThrow(/map\(.*'factor'/);
  });

  it('unknown or malformed options', async () => {
    await expect(map((x: number) => x, [1], { max_workers: 5 } as any)).rejects.toThrow(/unknown option "max_workers"/);
    await expect(map((x: number) => x, [1], { maxWorkers: 0 })).rejects.toThrow(/maxWorkers must be a positive integer/);
    await expect(map((x: number) => x, [1], { executor: 'gpu' as any })).rejects.toThrow(/executor must be THREAD_EXECUTOR/);
  });
});
