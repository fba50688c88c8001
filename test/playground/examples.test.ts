// Every program of the page's Example menu, run as a user would: pick it, Run, and check that the parallel run
// finished, printed what the sequential run printed, drew a bar per fork, and showed no error.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { examples } from '../../playground/src/examples';
import { browserAvailable, mustRun, openPlayground, type OpenPage } from './browser';

interface Expected {
  id: string;
  /** Forked calls the program makes, and on which kind of worker lane their bars are drawn. */
  forks: number;
  lane: 'cpu' | 'io';
  /** Lines the program prints, checked against values computed outside the page. */
  lines: (string | RegExp)[];
  /** Forked calls that throw (the program catches them at the use site). */
  failed?: number;
  /** Every printed line differs from every other (different inputs must give different results). */
  distinct?: boolean;
  /** The forked calls run at the same time: some of their bars overlap on the timeline. */
  overlap?: boolean;
}

const expected: Expected[] = [
  {
    id: 'thumbnails', forks: 8, lane: 'cpu', distinct: true,
    lines: ['beach', 'city', 'forest', 'harbour', 'mountain', 'river', 'snow', 'sunset'].map((n) => new RegExp(`^${n}: 100x75, checksum \\d+$`)),
  },
  {
    id: 'fib', forks: 8, lane: 'cpu',
    lines: ['fib(35) = 9227465', 'fib(36) = 14930352', 'fib(34) = 5702887', 'fib(37) = 24157817', 'fib(35) = 9227465', 'fib(34) = 5702887', 'fib(36) = 14930352', 'fib(33) = 3524578'],
  },
  {
    id: 'capture', forks: 6, lane: 'cpu',
    lines: ['fork', 'join', 'hoist', 'capture', 'worker', 'module'].map((w) => new RegExp(`^${w}: \\d+$`)),
  },
  {
    id: 'errors', forks: 12, lane: 'cpu', failed: 1,
    lines: ['batch total: 52', 'batch skipped, not a number: "n/a"', 'batch total: 42'],
  },
  {
    id: 'io', forks: 8, lane: 'io',
    lines: ['/home', '/about', '/blog', '/docs', '/faq', '/contact', '/jobs', '/press'].map((u) => `${u}: ${u.length + 28} bytes`),
  },
  {
    id: 'io-async', forks: 4, lane: 'io', overlap: true,
    lines: ['/a: 30 bytes', '/b: 30 bytes', '/c: 30 bytes', '/d: 30 bytes'],
  },
];

describe.skipIf(!browserAvailable && !mustRun)('the Example menu (chromium)', () => {
  let opened: OpenPage | undefined;

  beforeAll(async () => { opened = await openPlayground(); }, 120_000);
  afterAll(async () => { await opened?.close(); });

  test('offers exactly the examples this test runs', async () => {
    const ids = await opened!.page.locator('#example option').evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value));
    expect(ids.filter((id) => id !== 'custom')).toEqual(examples.map((e) => e.id));
    expect(expected.map((e) => e.id)).toEqual(examples.map((e) => e.id));
  });

  test('the examples explain themselves in the user\'s words (no "seed": that is this project\'s history)', () => {
    for (const example of examples) expect(example.code, example.id).not.toMatch(/\bseed's\b|\bthe seed\b/i);
  });

  test.each(expected)('$id: runs in parallel with the sequential output, a bar per fork, no error', async ({ id, forks, lane, lines, failed = 0, distinct = false, overlap = false }) => {
    const { page, pageErrors } = opened!;
    const example = examples.find((e) => e.id === id)!;
    await page.locator('#example').selectOption(id);
    await expect.poll(() => page.locator('.editor-pane .cm-content').innerText()).toContain(example.code.split('\n')[0]);
    await page.locator('#run').click();

    // Both runs over: the badge compares them only when both have ended.
    const badge = page.locator('#console-tabs .badge');
    await expect.poll(() => badge.getAttribute('data-same'), { timeout: 60_000 }).not.toBeNull();
    await expect.poll(() => page.locator('#run').isEnabled(), { timeout: 10_000 }).toBe(true);

    const consoleLines = async () => page.locator('#console .line').evaluateAll((nodes) => nodes.map((n) => ({ cls: n.className, text: n.textContent ?? '' })));
    const parallel = await consoleLines();
    expect(parallel.at(-1)?.text).toMatch(/^— finished in \d+ ms$/);
    const printed = parallel.filter((l) => /\blevel-/.test(l.cls)).map((l) => l.text);
    expect(printed).toHaveLength(lines.length);
    lines.forEach((line, i) => (typeof line === 'string' ? expect(printed[i]).toBe(line) : expect(printed[i]).toMatch(line)));
    if (distinct) expect(new Set(printed.map((l) => l.replace(/^[^:]*:/, ''))).size).toBe(printed.length);

    await page.locator('#console-tabs .tab', { hasText: 'Sequential run' }).click();
    // The console redraws a moment later (with its tabs): wait until the selected tab is the sequential run.
    await expect.poll(() => page.locator('#console-tabs .tab[aria-selected="true"]').textContent()).toBe('Sequential run');
    const sequential = await consoleLines();
    expect(sequential.at(-1)?.text).toMatch(/^— finished in \d+ ms$/);
    expect(sequential.filter((l) => /\blevel-/.test(l.cls)).map((l) => l.text)).toEqual(printed);
    expect(await badge.getAttribute('data-same')).toBe('true');
    await page.locator('#console-tabs .tab', { hasText: 'Output' }).click();
    // The click redraws the console and the timeline a moment later: measure the bars after that.
    await expect.poll(() => page.locator('#console-tabs .tab[aria-selected="true"]').textContent()).toBe('Output');

    // A bar per forked call, on the worker lanes of the right kind.
    expect(await page.locator(`.lane-${lane} .timeline-bar`).count()).toBeGreaterThanOrEqual(forks);
    expect(await page.locator('.timeline-bar.running, .timeline-bar.stopped').count()).toBe(0);
    expect(await page.locator('.timeline-bar.failed').count()).toBe(failed);
    if (overlap) {
      // Bars overlap in time when their horizontal extents overlap (they sit in different lanes or rows).
      const spans = await page.locator(`.lane-${lane} .timeline-bar`).evaluateAll((bars) => bars.map((b) => {
        const r = b.getBoundingClientRect();
        return [r.left, r.right] as const;
      }));
      const overlapping = spans.some(([a0, a1], i) => spans.some(([b0, b1], j) => i !== j && Math.min(a1, b1) - Math.max(a0, b0) > 10));
      expect(overlapping, `overlapping bars among ${JSON.stringify(spans)}`).toBe(true);
    }
    expect(await page.locator('.total-parallel .total-ms').textContent()).toMatch(/^\d+(\.\d+)? m?s$/);
    expect(await page.locator('.total-sequential .total-ms').textContent()).toMatch(/^\d+(\.\d+)? m?s$/);

    // Nothing wrong shown anywhere in the page.
    expect(await page.locator('#console .notice, #console .uncaught, #console .level-error').count()).toBe(0);
    expect(await page.locator('#status').getAttribute('data-level')).toBe('ok');
    expect(await page.locator('#output-tabs .diagnostics-tab').textContent()).toBe('Diagnostics (0)');
    expect(pageErrors).toEqual([]);
  }, 90_000);
});
