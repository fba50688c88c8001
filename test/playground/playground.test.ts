// The playground in a real browser: type a program, see the transform's output, run it on Web Workers.
import type { BrowserContext, Page } from 'playwright-core';
import type { PreviewServer } from 'vite';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { browserAvailable, ensureBuild, launchBrowser, mustRun, screenshotPath, servePlayground } from './browser';

const program = `/** @cpuBoundFork */
function square(n: number): number {
  let spin = 0;
  for (let i = 0; i < 4_000_000; i++) spin = (spin + i) % 1000;
  return n * n + spin * 0;
}

const inputs = [1, 2, 3, 4, 5, 6];
const squares = inputs.map((n) => square(n));
console.log('squares', squares.join(','));
`;

async function typeProgram(page: Page, code: string): Promise<void> {
  await page.locator('.editor-pane .cm-content').click();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.press('Delete');
  // insertText types the whole program as one input, so auto-closed brackets do not double up.
  await page.keyboard.insertText(code);
}

async function outputText(page: Page): Promise<string> {
  return page.locator('#output .cm-content').innerText();
}

describe.skipIf(!browserAvailable && !mustRun)('playground page (chromium)', () => {
  let server: PreviewServer | undefined;
  let url = '';
  let browser: { context: BrowserContext; close: () => Promise<void> } | undefined;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    ensureBuild();
    ({ server, url } = await servePlayground());
    browser = await launchBrowser();
    page = browser.context.pages()[0] ?? (await browser.context.newPage());
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(url);
    await page.locator('.editor-pane .cm-content').waitFor();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  test('is served cross-origin isolated, so workers can block in a join', async () => {
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  });

  test('shows the rewritten module with a fork and a tab per worker module as you type', async () => {
    await typeProgram(page, program);
    // The call in the loop became a fork of square (whatever the runtime namespace is called).
    await expect.poll(() => outputText(page), { timeout: 10_000 }).toMatch(/(^|[^A-Za-z])fork\s*\(\s*square\b/m);
    const workerTabs = page.locator('#output-tabs .worker-tab');
    expect(await workerTabs.count()).toBeGreaterThanOrEqual(1);
    await workerTabs.first().click();
    await expect.poll(() => outputText(page)).toContain('function square');
    expect(await outputText(page)).not.toContain("console.log('squares'");
    await page.locator('#output-tabs .tab').first().click();
  });

  test('Run prints the program output, draws a bar per task and times the sequential run', async () => {
    await page.locator('#run').click();
    await expect.poll(() => page.locator('.total-sequential .total-ms').textContent().catch(() => ''), { timeout: 60_000 }).toMatch(/\d+(\.\d+)? m?s/);
    await expect.poll(() => page.locator('#run').isEnabled()).toBe(true);
    const output = await page.locator('#console').innerText();
    expect(output).toContain('squares 1,4,9,16,25,36');
    expect(await page.locator('#console-tabs .badge').textContent()).toContain('same output');
    // One bar per forked call, on the worker lanes (not the program's own lane).
    const bars = page.locator('.lane-cpu .timeline-bar');
    expect(await bars.count()).toBe(6);
    expect(await page.locator('.lane-cpu').count()).toBeGreaterThanOrEqual(2);
    const lanesUsed = await page.locator('.lane-cpu').evaluateAll((lanes) => lanes.filter((l) => l.querySelector('.timeline-bar')).length);
    expect(lanesUsed).toBeGreaterThanOrEqual(2);
    expect(await page.locator('.total-parallel .total-ms').textContent()).toMatch(/\d+(\.\d+)? m?s/);
    await page.screenshot({ path: screenshotPath('playground-run.png') });
    expect(pageErrors).toEqual([]);
  }, 90_000);

  test('the URL hash holds the program: a link reproduces it', async () => {
    await expect.poll(() => page.evaluate(() => location.hash)).toMatch(/^#code=/);
    const link = await page.evaluate(() => location.href);
    const second = await browser!.context.newPage();
    try {
      await second.goto(link);
      await expect.poll(() => second.locator('.editor-pane .cm-content').innerText()).toContain("console.log('squares', squares.join(','));");
      expect(await second.locator('#example').inputValue()).toBe('custom');
    } finally {
      await second.close();
    }
  });

  test('an uncaught error in a forked function is shown in the page', async () => {
    await typeProgram(page, `/** @cpuBoundFork */
function check(n: number): number {
  if (n > 2) throw new RangeError('too big: ' + n);
  return n;
}
const checked = [1, 2, 3].map((n) => check(n));
console.log('never printed', checked);
`);
    await expect.poll(() => outputText(page), { timeout: 10_000 }).toContain("'too big: '");
    await page.locator('#run').click();
    await expect.poll(() => page.locator('#console .uncaught').first().textContent().catch(() => ''), { timeout: 60_000 }).toContain('RangeError: too big: 3');
    await expect.poll(() => page.locator('#run').isEnabled(), { timeout: 60_000 }).toBe(true);
    expect(await page.locator('#console').innerText()).not.toContain('never printed');
    // The first frame is the throw in the program as written, through the transform's and TypeScript's maps.
    const stack = (await page.locator('#console .uncaught').first().textContent()) ?? '';
    expect(stack.split('\n')[1]).toMatch(/at check \(main\.ts:3:\d+\)/);
    expect(await page.locator('.timeline-bar.failed').count()).toBe(1);
  }, 90_000);

  test('nested forks finish: a task blocked joining its own forks does not starve the pool', async () => {
    await typeProgram(page, `/** @cpuBoundFork */
function leaf(n: number): number {
  let spin = 0;
  for (let i = 0; i < 2_000_000; i++) spin = (spin + i) % 7;
  return n * 2 + spin * 0;
}
/** @cpuBoundFork */
function branch(n: number): number {
  return leaf(n) + leaf(n + 1);
}
const totals = [1, 2, 3, 4].map((n) => branch(n));
console.log('totals', totals.join(','));
`);
    await expect.poll(() => outputText(page), { timeout: 10_000 }).toContain('totals.join');
    await page.locator('#run').click();
    await expect.poll(() => page.locator('#console').innerText(), { timeout: 60_000 }).toContain('totals 6,10,14,18');
    await expect.poll(() => page.locator('#console-tabs .badge').textContent().catch(() => ''), { timeout: 60_000 }).toContain('same output');
    // 4 branch tasks and 8 leaf tasks, each a bar.
    expect(await page.locator('.lane-cpu .timeline-bar').count()).toBe(12);
  }, 90_000);

  test('Stop ends a program that never finishes, and the page stays usable', async () => {
    await typeProgram(page, `/** @cpuBoundFork */
function forever(n: number): number {
  while (n >= 0) n++;
  return n;
}
console.log('started');
console.log(forever(1));
`);
    await expect.poll(() => outputText(page), { timeout: 10_000 }).toMatch(/fork\s*\(\s*forever\b/);
    await page.locator('#run').click();
    await expect.poll(() => page.locator('#console').innerText(), { timeout: 30_000 }).toContain('started');
    await expect.poll(() => page.locator('.lane-cpu .timeline-bar.running').count(), { timeout: 10_000 }).toBe(1);
    await page.locator('#stop').click();
    await expect.poll(() => page.locator('#run').isEnabled(), { timeout: 10_000 }).toBe(true);
    expect(await page.locator('#status').textContent()).toBe('stopped');
    expect(await page.locator('#console .uncaught').textContent()).toContain('stopped by you');
    expect(await page.locator('.lane-cpu .timeline-bar.stopped').count()).toBe(1);
  }, 60_000);

  test('diagnostics are listed, marked in the editor, and stop Run', async () => {
    await typeProgram(page, `function scaleAll(values: number[]): number[] {
  let factor = 2;
  /** @cpuBoundFork */
  const scale = (v: number) => v * factor;
  factor = 3;
  return values.map((v) => scale(v));
}
console.log(scaleAll([1, 2]));
`);
    const tab = page.locator('#output-tabs .diagnostics-tab');
    await expect.poll(() => tab.textContent(), { timeout: 10_000 }).toMatch(/Diagnostics \([1-9]/);
    await tab.click();
    expect(await page.locator('#diagnostics .diagnostic.error').first().textContent()).toMatch(/main\.ts:\d+:\d+ error TS\d+: .*'factor'/);
    expect(await page.locator('.editor-pane .cm-lintRange-error').count()).toBeGreaterThan(0);
    await page.locator('#run').click();
    await expect.poll(() => page.locator('#console .notice.error').textContent().catch(() => '')).toContain('fix them before running');
    await page.screenshot({ path: screenshotPath('playground-diagnostics.png') });
  });

  test('a syntax error is a diagnostic with TypeScript\'s text and line, marked in the editor, and stops Run', async () => {
    await typeProgram(page, `/** @cpuBoundFork */
function double(x: number): number { return x * 2; }
const x = ;
console.log(double(x));
`);
    const tab = page.locator('#output-tabs .diagnostics-tab');
    await tab.click();
    await expect.poll(() => page.locator('#diagnostics .diagnostic.error').allTextContents(), { timeout: 10_000 }).toEqual([
      expect.stringMatching(/main\.ts:3:11 error TS1109: Expression expected\./),
    ]);
    expect(await tab.textContent()).toBe('Diagnostics (1)');
    expect(await page.locator('.editor-pane .cm-lintRange-error').count()).toBe(1);
    await page.locator('#run').click();
    await expect.poll(() => page.locator('#console .notice.error').textContent().catch(() => '')).toContain('fix them before running');
    expect(await page.locator('.timeline-bar').count()).toBe(0);
  });
});
