// A task's exception comes back at the join with its class, properties, cause, and a stack that reads like the
// sequential one: the worker frames (source-mapped), then the fork call site.
import { beforeAll, describe, expect, it } from 'vitest';
import { fork, join, submit, serializeError, reviveError, WorkerDiedError } from 'tsfork';
import { createRequire } from 'node:module';
import { fixture, runNode, warmUp } from './helpers.js';

const require = createRequire(import.meta.url);

/** The error an awaited lazy result or promise rejects with. */
async function failureOf(p: unknown): Promise<any> {
  try { await p; } catch (e) { return e; }
  throw new Error('expected a failure');
}

describe('errors', () => {
  beforeAll(() => warmUp());

  it('keep the built-in class, message, own properties and cause', async () => {
    const failing = fork(function failing(code: string) {
      const e = new RangeError('out of range', { cause: new TypeError('root cause') }) as RangeError & { code: string };
      e.code = code;
      throw e;
    }, 'E_RANGE');
    const e = await failureOf(failing);
    expect(e).toBeInstanceOf(RangeError);
    expect(e.message).toBe('out of range');
    expect(e.code).toBe('E_RANGE');
    expect(e.cause).toBeInstanceOf(TypeError);
    expect(e.cause.message).toBe('root cause');
  });

  it('keep a user error class the worker loaded from the function\'s module', async () => {
    // Node's own loader (vitest's would give a second copy of the class)
    const { overQuota, QuotaError } = require(fixture('nested.mjs'));
    const e = await failureOf(submit(overQuota, [3]).promise);
    expect(e).toBeInstanceOf(QuotaError);
    expect(e.quota).toBe(3);
    expect(e.message).toBe('over quota by 3');
  });

  it('carry thrown non-errors as they are', () => {
    expect(() => join(fork(function throwsString() { throw 'plain string'; }))).toThrow('plain string');
  });

  it('stack: worker frames mapped to the .ts source, then the fork call site', async () => {
    const { checkOrder } = require(fixture('mapped.js'));
    const r = fork(checkOrder, { id: 7, qty: 0 }); // the fork call site
    const e = await failureOf(r);
    expect(e).toBeInstanceOf(RangeError);
    expect(e.message).toBe('order 7: quantity must be positive');
    const [worker, site] = e.stack.split('--- forked at ---');
    expect(worker).toMatch(/mapped\.ts:8:\d+/);
    expect(site).toMatch(/errors\.test\.ts:\d+/);
    expect(e.stack).not.toMatch(/scheduler\/pool/);
  });

  it('without a kept call site, the join site; frames of functions sent as source are kept', () => {
    const r = runNode(fixture('join-site.mjs'));
    expect(r.stdout).toMatch(/^Error: x\n    at bad \(<forked function source>:1:\d+\)\n    --- joined at ---\n    at .*join-site\.mjs:8:/);
  });

  it('serializeError / reviveError round trip, also AggregateError', () => {
    const agg = new AggregateError([new SyntaxError('a'), new Error('b')], 'many');
    const back = reviveError(structuredClone(serializeError(agg))) as AggregateError;
    expect(back).toBeInstanceOf(AggregateError);
    expect(back.errors[0]).toBeInstanceOf(SyntaxError);
    const died = reviveError(serializeError(new WorkerDiedError('gone'))) as Error;
    expect(died).toBeInstanceOf(WorkerDiedError);
    expect(died.name).toBe('WorkerDiedError');
  });
});

describe('class instances in results', () => {
  it('come back as instances of the class their module exports, nested too; Map and Date stay what they are', () => {
    const r = runNode(fixture('class-results.mjs'));
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('true 5 0,1,2 true\ntrue true 5\ntrue\n');
  });
});
