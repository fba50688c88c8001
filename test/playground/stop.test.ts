// Stop, at any point of a run, leaves the page saying "stopped": no verdict on the output, no speed-up, and no
// "failed" for a run that never happened. Loading another program (the Example menu) stops a running one first.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { browserAvailable, mustRun, openPlayground, typeProgram, type OpenPage } from './browser';

// Forked, work() runs on a task worker and returns at once; as written (the sequential run) it runs on the
// program's own worker, named 'tsfork program', and never returns: the sequential run is the one to stop.
const slowOnlySequentially = `/** @cpuBoundFork */
function work(n: number): number {
  while ((globalThis as { name?: string }).name === 'tsfork program') n = (n + 1) % 1000;
  return n * 2;
}
console.log('result', work(21));
`;

const forever = `/** @cpuBoundFork */
function forever(n: number): number {
  while (n >= 0) n++;
  return n;
}
console.log('started');
console.log(forever(1));
`;

describe.skipIf(!browserAvailable && !mustRun)('Stop (chromium)', () => {
  let opened: OpenPage | undefined;

  beforeAll(async () => { opened = await openPlayground(); }, 120_000);
  afterAll(async () => { await opened?.close(); });

  test('Stop during the sequential run: status "stopped", no same/differs verdict, no speed-up', async () => {
    const { page, pageErrors } = opened!;
    await typeProgram(page, slowOnlySequentially);
    await expect.poll(() => page.locator('#output .cm-content').innerText(), { timeout: 10_000 }).toMatch(/fork\s*\(\s*work\b/);
    await page.locator('#run').click();
    await expect.poll(() => page.locator('#status').textContent(), { timeout: 60_000 }).toBe('running sequentially…');
    await page.locator('#stop').click();
    await expect.poll(() => page.locator('#run').isEnabled(), { timeout: 10_000 }).toBe(true);
    // Past the run's end: nothing may overwrite the stop with a verdict.
    await page.waitForTimeout(500);
    expect(await page.locator('#status').textContent()).toBe('stopped');
    const badge = page.locator('#console-tabs .badge');
    expect(await badge.getAttribute('data-same')).toBeNull();
    expect(await badge.textContent()).not.toMatch(/same|differs/);
    expect(await page.locator('#timing').textContent()).toBe('');
    expect(await page.locator('.total-sequential .total-ms').textContent()).toBe('stopped');
    expect(await page.locator('.total-sequential .total-bar').count()).toBe(0);
    // The parallel run finished normally; the sequential one says it was stopped, not that it failed.
    expect(await page.locator('#console').innerText()).toContain('result 42');
    await page.locator('#console-tabs .tab', { hasText: 'Sequential run' }).click();
    // The tab redraws on the next tick.
    await expect.poll(() => page.locator('#console').innerText()).toMatch(/— stopped after \d+ ms/);
    expect(await page.locator('#console').innerText()).not.toContain('ended with an error');
    await page.locator('#console-tabs .tab', { hasText: 'Output' }).click();
    expect(pageErrors).toEqual([]);
  }, 90_000);

  test('Stop during the parallel run: the sequential total says "not run", the console says stopped', async () => {
    const { page, pageErrors } = opened!;
    await typeProgram(page, forever);
    await expect.poll(() => page.locator('#output .cm-content').innerText(), { timeout: 10_000 }).toMatch(/fork\s*\(\s*forever\b/);
    await page.locator('#run').click();
    await expect.poll(() => page.locator('.lane-cpu .timeline-bar.running').count(), { timeout: 30_000 }).toBe(1);
    await page.locator('#stop').click();
    await expect.poll(() => page.locator('#run').isEnabled(), { timeout: 10_000 }).toBe(true);
    expect(await page.locator('#status').textContent()).toBe('stopped');
    expect(await page.locator('.total-sequential .total-ms').textContent()).toBe('not run');
    const output = await page.locator('#console').innerText();
    expect(output).toContain('stopped by you');
    expect(output).toMatch(/— stopped after \d+ ms/);
    expect(output).not.toContain('ended with an error');
    expect(await page.locator('#console-tabs .badge').getAttribute('data-same')).toBeNull();
    expect(await page.locator('#timing').textContent()).toBe('');
    expect(pageErrors).toEqual([]);
  }, 60_000);

  test('choosing an example from the menu during a run stops the running program first', async () => {
    const { page, pageErrors } = opened!;
    await typeProgram(page, forever);
    await expect.poll(() => page.locator('#output .cm-content').innerText(), { timeout: 10_000 }).toMatch(/fork\s*\(\s*forever\b/);
    await page.locator('#run').click();
    await expect.poll(() => page.locator('.lane-cpu .timeline-bar.running').count(), { timeout: 30_000 }).toBe(1);
    await page.locator('#example').selectOption('fib');
    await expect.poll(() => page.locator('.editor-pane .cm-content').innerText()).toContain('fib over a list');
    // The old program's workers are gone: Run is free again and its task bar is cut, not still running.
    await expect.poll(() => page.locator('#run').isEnabled(), { timeout: 10_000 }).toBe(true);
    expect(await page.locator('#stop').isEnabled()).toBe(false);
    expect(await page.locator('.lane-cpu .timeline-bar.running').count()).toBe(0);
    expect(await page.locator('.lane-cpu .timeline-bar.stopped').count()).toBe(1);
    expect(await page.locator('#console').innerText()).toContain('stopped: another program was loaded');
    // And the new example runs.
    await page.locator('#run').click();
    await expect.poll(() => page.locator('#console-tabs .badge').getAttribute('data-same'), { timeout: 60_000 }).toBe('true');
    expect(await page.locator('#console').innerText()).toContain('fib(37) = 24157817');
    expect(pageErrors).toEqual([]);
  }, 120_000);
});

describe.skipIf(!browserAvailable && !mustRun)('the time limit (chromium)', () => {
  let opened: OpenPage | undefined;

  beforeAll(async () => {
    opened = await openPlayground();
    const url = new URL(opened.page.url());
    url.search = '?limit=3';
    url.hash = '';
    await opened.page.goto(url.href);
    await opened.page.locator('.editor-pane .cm-content').waitFor();
  }, 120_000);
  afterAll(async () => { await opened?.close(); });

  test('a sequential run past ?limit= is stopped like Stop: the status says why, no verdict, no speed-up', async () => {
    const { page, pageErrors } = opened!;
    await typeProgram(page, slowOnlySequentially);
    await expect.poll(() => page.locator('#output .cm-content').innerText(), { timeout: 10_000 }).toMatch(/fork\s*\(\s*work\b/);
    await page.locator('#run').click();
    await expect.poll(() => page.locator('#run').isEnabled(), { timeout: 30_000 }).toBe(true);
    expect(await page.locator('#status').textContent()).toBe('stopped after 3 s (the time limit)');
    expect(await page.locator('#console-tabs .badge').getAttribute('data-same')).toBeNull();
    expect(await page.locator('#timing').textContent()).toBe('');
    expect(await page.locator('.total-sequential .total-ms').textContent()).toBe('stopped');
    expect(await page.locator('#console').innerText()).toContain('result 42');
    expect(pageErrors).toEqual([]);
  }, 60_000);
});
