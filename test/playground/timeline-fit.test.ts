// Many workers (`?workers=8`, the default on an 8-core machine): at 1280x800 the lanes shrink so that every lane,
// the axis and the parallel/sequential totals fit the timeline box without scrolling.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { browserAvailable, mustRun, openPlayground, screenshotPath, type OpenPage } from './browser';

describe.skipIf(!browserAvailable && !mustRun)('timeline with 8 workers at 1280x800 (chromium)', () => {
  let opened: OpenPage | undefined;

  beforeAll(async () => {
    opened = await openPlayground();
    const url = new URL(opened.page.url());
    url.search = '?workers=8';
    url.hash = '';
    await opened.page.goto(url.href);
    await opened.page.locator('.editor-pane .cm-content').waitFor();
  }, 120_000);
  afterAll(async () => { await opened?.close(); });

  test('lanes, axis and totals all fit the timeline box: no scrolling, totals on screen', async () => {
    const { page, pageErrors } = opened!;
    expect(page.viewportSize()).toEqual({ width: 1280, height: 800 });
    await page.locator('#example').selectOption('fib');
    await page.locator('#run').click();
    await expect.poll(() => page.locator('#console-tabs .badge').getAttribute('data-same'), { timeout: 90_000 }).toBe('true');
    await expect.poll(() => page.locator('#run').isEnabled()).toBe(true);

    expect(await page.locator('.lane-cpu').count()).toBeGreaterThanOrEqual(8);
    const fit = await page.locator('#timeline').evaluate((host) => ({ scrollHeight: host.scrollHeight, clientHeight: host.clientHeight }));
    expect(fit.scrollHeight).toBeLessThanOrEqual(fit.clientHeight);

    const box = (await page.locator('#timeline').boundingBox())!;
    expect(box.y + box.height).toBeLessThanOrEqual(800);
    const inside = async (selector: string) => {
      const rects = await page.locator(selector).evaluateAll((nodes) => nodes.map((n) => {
        const r = n.getBoundingClientRect();
        return { top: r.top, bottom: r.bottom, text: n.textContent ?? '' };
      }));
      expect(rects.length, `${selector} drawn`).toBeGreaterThan(0);
      for (const r of rects) {
        expect(r.top, `${selector} "${r.text}" top`).toBeGreaterThanOrEqual(box.y - 0.5);
        expect(r.bottom, `${selector} "${r.text}" bottom`).toBeLessThanOrEqual(box.y + box.height + 0.5);
      }
    };
    await inside('.lane-track');
    await inside('.tick');
    await inside('.total-parallel');
    await inside('.total-sequential');
    expect(await page.locator('.total-sequential').isVisible()).toBe(true);
    expect(await page.locator('.total-sequential .total-ms').textContent()).toMatch(/^\d+(\.\d+)? m?s$/);
    // Shrunk, but still big enough to see a bar in.
    const heights = await page.locator('.lane:not(.axis) .lane-track').evaluateAll((nodes) => nodes.map((n) => n.getBoundingClientRect().height));
    expect(Math.min(...heights)).toBeGreaterThanOrEqual(8);
    await page.screenshot({ path: screenshotPath('playground-8-workers.png') });
    expect(pageErrors).toEqual([]);
  }, 150_000);
});
