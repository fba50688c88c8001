// The playground's browser runtime pieces that do not need a browser: the result codec, the shared reply
// buffer, fork without a page (inline, as the sequential program), console formatting, the URL hash.
import { describe, expect, test } from 'vitest';
import { decodeError, decodeValue, encodeError, encodeValue } from '../../playground/src/runtime/codec';
import { formatArgs } from '../../playground/src/runtime/format';
import { cpuBoundFork, fork, join, META } from '../../playground/src/runtime/index';
import { createReply, FAILED, OK, readReply, replyState, waitReply, writeReply } from '../../playground/src/runtime/reply';
import { decodeProgram, encodeProgram } from '../../playground/src/hash';
import { axisTicks } from '../../playground/src/timeline';

describe('result codec', () => {
  test('round-trips what JSON alone would lose', () => {
    const value = {
      missing: undefined, nan: NaN, inf: -Infinity, negZero: -0, big: 12345678901234567890n,
      when: new Date(0), pattern: /a+b/gi, map: new Map<unknown, unknown>([['k', [1, 2]], [3, new Set(['x'])]]),
      bytes: new Uint8Array([1, 2, 255]), floats: new Float64Array([0.5]), dollar: { $: 'not a tag' },
    };
    const back = decodeValue(encodeValue(value)) as typeof value;
    expect(back).toEqual(value);
    expect(Object.is(back.negZero, -0)).toBe(true);
    expect(back.bytes).toBeInstanceOf(Uint8Array);
    expect(back.map.get(3)).toBeInstanceOf(Set);
  });

  test('errors keep their built-in class, message, name and own properties', () => {
    const thrown = Object.assign(new RangeError('too big: 3'), { limit: 2 });
    const back = decodeError(encodeError(thrown)) as RangeError & { limit: number };
    expect(back).toBeInstanceOf(RangeError);
    expect(back.message).toBe('too big: 3');
    expect(back.limit).toBe(2);
    class ParseError extends Error { override name = 'ParseError'; }
    const custom = decodeError(encodeError(new ParseError('bad line'))) as Error;
    expect(custom.name).toBe('ParseError');
    expect(custom.message).toBe('bad line');
    expect(decodeError(encodeError(42))).toBe(42);
  });

  test('a function or a cycle in a result is an error naming where it is', () => {
    expect(() => encodeValue({ items: [1, () => 2] })).toThrow(/function cannot be sent between workers \(at result\.items\[1\]\)/);
    const loop: Record<string, unknown> = {};
    loop.self = loop;
    expect(() => encodeValue(loop)).toThrow(/contains itself .*result\.self/);
  });
});

describe('reply buffer', () => {
  test('carries a result larger than its first allocation and wakes the waiter', () => {
    const reply = createReply();
    expect(replyState(reply)).toBe(0);
    const big = 'x'.repeat(100_000);
    writeReply(reply, OK, JSON.stringify(big));
    waitReply(reply);
    expect(replyState(reply)).toBe(OK);
    expect(JSON.parse(readReply(reply))).toBe(big);
    const failed = createReply();
    writeReply(failed, FAILED, 'boom');
    expect(replyState(failed)).toBe(FAILED);
  });
});

describe('fork without the page (no workers: runs inline)', () => {
  test('values come back through join, errors surface at the join', () => {
    const double = (n: number) => n * 2;
    expect(join(fork(double, 21))).toBe(42);
    const bad = fork((n: number) => { if (n > 0) throw new TypeError('no'); return n; }, 1);
    expect(() => join(bad)).toThrow(TypeError);
    expect(join(7)).toBe(7);
  });

  test('cpuBoundFork wraps: every call forks the wrapped function', async () => {
    function triple(n: number): number { return n * 3; }
    const forking = cpuBoundFork(triple);
    const meta = (forking as unknown as Record<symbol, { kind: string; target: Function }>)[META];
    expect(meta.kind).toBe('cpu');
    expect(meta.target).toBe(triple);
    expect(forking.name).toBe('triple');
    expect(join(forking(5) as unknown as number)).toBe(15);
    expect(await (forking(2) as unknown as PromiseLike<number>)).toBe(6);
    expect(() => cpuBoundFork(42 as never)).toThrow(/cpuBoundFork\(\) expects a function, got number/);
  });
});

describe('console formatting', () => {
  test('reads like Node for strings, numbers, arrays, objects, maps and format specifiers', () => {
    expect(formatArgs(['squares', [1, 4, 9]])).toBe('squares [ 1, 4, 9 ]');
    expect(formatArgs([{ a: 1, b: 'x' }])).toBe("{ a: 1, b: 'x' }");
    expect(formatArgs([new Map([['k', 1]])])).toBe("Map(1) { 'k' => 1 }");
    expect(formatArgs(['%s has %d items', 'list', 3])).toBe('list has 3 items');
  });
});

describe('program in the URL hash', () => {
  test('round-trips any text and rejects a damaged link with a clear message', async () => {
    const code = 'const s = "ünïcødé ✓";\nconsole.log(s);\n'.repeat(20);
    const hash = await encodeProgram(code);
    expect(hash).toMatch(/^#code=[\w-]+$/);
    expect(hash.length).toBeLessThan(code.length);
    expect(await decodeProgram(hash)).toBe(code);
    expect(await decodeProgram('#other')).toBeUndefined();
    await expect(decodeProgram('#code=!!!not-base64')).rejects.toThrow(/damaged/);
  });
});

describe('timeline axis', () => {
  test('labels near the right end are right-aligned, so none reaches past the track (CI saw 1000 ms at 97% overflow)', () => {
    const ticks = axisTicks(1030);
    expect(ticks.map((t) => t.label)).toEqual(['0 ms', '200 ms', '400 ms', '600 ms', '800 ms', '1000 ms']);
    expect(ticks[0]).toMatchObject({ left: 0, align: 'start' });
    expect(ticks.at(-1)!.align).toBe('end');
    expect(ticks.at(-1)!.left).toBeCloseTo(97.087, 2);
    expect(ticks.slice(1, -1).every((t) => t.align === 'center')).toBe(true);
  });

  test('for every span from 1 ms to 2 minutes: at most 7 ticks, in order, inside the track, centred only away from the edges', () => {
    for (let span = 1; span <= 120_000; span = Math.ceil(span * 1.07)) {
      const ticks = axisTicks(span);
      expect(ticks.length, `span ${span}`).toBeGreaterThanOrEqual(1);
      expect(ticks.length, `span ${span}`).toBeLessThanOrEqual(7);
      for (const [i, tick] of ticks.entries()) {
        expect(tick.left, `span ${span}`).toBeGreaterThanOrEqual(0);
        expect(tick.left, `span ${span}`).toBeLessThanOrEqual(100);
        if (i > 0) expect(tick.left).toBeGreaterThan(ticks[i - 1]!.left);
        if (tick.align === 'center') expect(tick.left > 0 && tick.left <= 90, `span ${span} tick ${tick.label}`).toBe(true);
      }
    }
  });
});
