// A program link opened in the same tab (only the #code= part of the URL changes) loads that program.
import { deflateRawSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { examples } from '../../playground/src/examples';
import { browserAvailable, mustRun, openPlayground, type OpenPage } from './browser';

/** The page's link format, made outside the page: #code= + base64url of deflate-raw UTF-8. */
function linkHash(code: string): string {
  return `#code=${deflateRawSync(Buffer.from(code, 'utf8')).toString('base64url')}`;
}

const program = `/** @cpuBoundFork */
function triple(n: number): number { return n * 3; }
console.log('tripled', [1, 2].map((n) => triple(n)).join(','));
`;

describe.skipIf(!browserAvailable && !mustRun)('the URL hash (chromium)', () => {
  let opened: OpenPage | undefined;

  beforeAll(async () => { opened = await openPlayground(); }, 120_000);
  afterAll(async () => { await opened?.close(); });

  test('setting location.hash to another program\'s link loads it into the editor and the transform', async () => {
    const { page, pageErrors } = opened!;
    const before = page.url();
    await page.evaluate((hash) => { location.hash = hash; }, linkHash(program));
    await expect.poll(() => page.locator('.editor-pane .cm-content').innerText(), { timeout: 10_000 }).toContain("console.log('tripled'");
    await expect.poll(() => page.locator('#output .cm-content').innerText(), { timeout: 10_000 }).toMatch(/fork\s*\(\s*triple\b/);
    expect(await page.locator('#example').inputValue()).toBe('custom');
    expect(page.url().split('#')[0]).toBe(before.split('#')[0]);
    expect(pageErrors).toEqual([]);
  });

  test('a link to an example selects it in the menu', async () => {
    const { page } = opened!;
    const fib = examples.find((e) => e.id === 'fib')!;
    await page.evaluate((hash) => { location.hash = hash; }, linkHash(fib.code));
    await expect.poll(() => page.locator('#example').inputValue(), { timeout: 10_000 }).toBe('fib');
    expect(await page.locator('.editor-pane .cm-content').innerText()).toContain(fib.code.split('\n')[0]);
  });

  test('a damaged link is reported in the page and leaves the program as it was', async () => {
    const { page, pageErrors } = opened!;
    const shown = await page.locator('.editor-pane .cm-content').innerText();
    await page.evaluate(() => { location.hash = '#code=not-deflate!!'; });
    await expect.poll(() => page.locator('#console .notice.error').textContent({ timeout: 1000 }).catch(() => ''), { timeout: 10_000 }).toContain('link is damaged');
    expect(await page.locator('.editor-pane .cm-content').innerText()).toBe(shown);
    expect(pageErrors).toEqual([]);
  });
});
