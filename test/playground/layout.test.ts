// "Readable at 1280x800, no layout breaks": after a run, nothing overflows the window sideways and the parts a
// user works with are all on screen, each in its own place.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { browserAvailable, mustRun, openPlayground, screenshotPath, type OpenPage } from './browser';

type Box = { x: number; y: number; width: number; height: number };

function overlap(a: Box, b: Box): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

const parts = {
  editor: '.editor-pane .cm-editor',
  'output tabs': '#output-tabs',
  'Run button': '#run',
  console: '#console',
  timeline: '#timeline',
};

describe.skipIf(!browserAvailable && !mustRun)('layout at 1280x800 (chromium)', () => {
  let opened: OpenPage | undefined;

  beforeAll(async () => { opened = await openPlayground(); }, 120_000);
  afterAll(async () => { await opened?.close(); });

  test('after a run: no horizontal overflow; editor, tabs, Run, console and timeline visible and apart', async () => {
    const { page, pageErrors } = opened!;
    expect(page.viewportSize()).toEqual({ width: 1280, height: 800 });
    await page.locator('#example').selectOption('fib');
    await page.locator('#run').click();
    await expect.poll(() => page.locator('#console-tabs .badge').getAttribute('data-same'), { timeout: 60_000 }).toBe('true');
    await expect.poll(() => page.locator('#run').isEnabled()).toBe(true);

    const size = await page.evaluate(() => ({
      scrollWidth: document.documentElement.scrollWidth, clientWidth: document.documentElement.clientWidth,
      bodyScrollWidth: document.body.scrollWidth,
    }));
    expect(size.scrollWidth).toBeLessThanOrEqual(size.clientWidth);
    expect(size.bodyScrollWidth).toBeLessThanOrEqual(size.clientWidth);

    const boxes: [string, Box][] = [];
    for (const [name, selector] of Object.entries(parts)) {
      const part = page.locator(selector);
      expect(await part.isVisible(), `${name} is visible`).toBe(true);
      const box = await part.boundingBox();
      expect(box, `${name} has a box`).not.toBeNull();
      // Large enough to read, and inside the window.
      expect(box!.width, `${name} width`).toBeGreaterThan(40);
      expect(box!.height, `${name} height`).toBeGreaterThan(20);
      expect(box!.x, `${name} left`).toBeGreaterThanOrEqual(0);
      expect(box!.y, `${name} top`).toBeGreaterThanOrEqual(0);
      expect(box!.x + box!.width, `${name} right`).toBeLessThanOrEqual(1280);
      expect(box!.y + box!.height, `${name} bottom`).toBeLessThanOrEqual(800);
      boxes.push([name, box!]);
    }
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        expect(overlap(boxes[i]![1], boxes[j]![1]), `${boxes[i]![0]} overlaps ${boxes[j]![0]}`).toBe(false);
      }
    }
    // The timeline's lanes and totals fit its box (nothing drawn past its right edge).
    const timeline = await page.locator('#timeline').evaluate((el) => ({ scrollWidth: el.scrollWidth, clientWidth: el.clientWidth }));
    expect(timeline.scrollWidth).toBeLessThanOrEqual(timeline.clientWidth);
    // Each axis label and each bar lies inside the timeline's box, whatever the run's length was.
    const outside = await page.locator('#timeline').evaluate((host) => {
      const box = host.getBoundingClientRect();
      return [...host.querySelectorAll('.tick, .bar, .wait, .total-bar')]
        .map((node) => ({ text: node.textContent || node.className, rect: node.getBoundingClientRect() }))
        .filter(({ rect }) => rect.left < box.left - 0.5 || rect.right > box.right + 0.5)
        .map(({ text, rect }) => `${text}: ${Math.round(rect.left)}..${Math.round(rect.right)} outside ${Math.round(box.left)}..${Math.round(box.right)}`);
    });
    expect(outside).toEqual([]);
    expect(await page.locator('#timeline .tick').count()).toBeGreaterThan(1);
    await page.screenshot({ path: screenshotPath('playground-1280x800.png') });
    expect(pageErrors).toEqual([]);
  }, 90_000);
});
