// Results deep-equal and JSON-serialize like plain values; the helpers are there but not enumerable.
import { describe, expect, it } from 'vitest';
import { map, par, FailedTask } from 'tsfork';
import { tasks } from './fixtures/load.js';

const { add, checkStock, InventoryError } = tasks;

describe('results', () => {
  it('arrays: plain Array, helpers not enumerable, JSON like the values', async () => {
    const r = await map(add, [[1, 2], [3, 4]]);
    expect(Array.isArray(r)).toBe(true);
    expect(r).toStrictEqual([3, 7]);
    expect(Object.keys(r)).toEqual(['0', '1']);
    expect(JSON.stringify(r)).toBe('[3,7]');
    expect(r.failures).toBe(false);
    expect(r.failed).toEqual([]);
    expect(r.succeeded).toEqual([3, 7]);
  });

  it('objects: same keys, helpers not enumerable', async () => {
    const r = await par({ a: [add, 1, 1], b: [add, 'x', 'y'] });
    expect(r).toStrictEqual({ a: 2, b: 'xy' });
    expect(Object.keys(r)).toEqual(['a', 'b']);
    expect(JSON.stringify(r)).toBe('{"a":2,"b":"xy"}');
    expect({ ...r }).toEqual({ a: 2, b: 'xy' });
  });

  it('silent objects: failed and succeeded keep the keys', async () => {
    const r = await map(add, { ok: [1, 2], bad: ['a', 1] }, { silent: true });
    expect(r.failures).toBe(true);
    expect(Object.keys(r.failed)).toEqual(['bad']);
    expect(r.succeeded).toEqual({ ok: 3 });
    expect(r.replaceFailed(0)).toEqual({ ok: 3, bad: 0 });
    expect(r.bad).toBeInstanceOf(FailedTask);
  });

  it('errors keep their class, message, properties and stack (user class exported from the module)', async () => {
    const r = await map(checkStock, [1, -7], { silent: true });
    const failed = r[1] as FailedTask;
    expect(failed.error).toBeInstanceOf(InventoryError);
    expect(failed.error.message).toBe('negative stock: -7');
    expect((failed.error as any).sku).toBe('sku-7');
    expect(failed.error.stack).toMatch(/checkStock/);
    expect(failed.args).toEqual([-7]);
  });

  it('a value that cannot be sent back fails only its own item, naming the function, on both executors', async () => {
    for (const executor of ['thread', 'process'] as const) {
      const makeThing = function makeThing(x: number) { return x === 1 ? () => x : x; };
      const r = await map(makeThing, [0, 1, 2], { silent: true, executor });
      expect(r.failures).toBe(true);
      expect([r[0], r[2]]).toEqual([0, 2]);
      const failed = r[1] as unknown as FailedTask;
      expect(failed).toBeInstanceOf(FailedTask);
      expect(failed.error).toBeInstanceOf(TypeError);
      expect((failed.error as Error).message).toMatch(/^the value makeThing returned cannot be sent back from the worker/);
    }
  });

  it('a FailedTask in JSON shows the function, its arguments and the error (an Error alone would be {})', async () => {
    const r = await map(checkStock, [1, -3], { silent: true });
    expect(JSON.parse(JSON.stringify(r))).toEqual([
      1,
      { failed: 'checkStock', args: [-3], error: { name: 'InventoryError', message: 'negative stock: -3' } },
    ]);
  });

  it('a thrown error with its class rejects the call by default', async () => {
    const err = await map(checkStock, [1, -2, 3]).catch((e) => e);
    expect(err).toBeInstanceOf(InventoryError);
    expect(err.sku).toBe('sku-2');
  });
});
