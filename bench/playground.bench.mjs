// The playground's examples, run in headless chromium: parallel (transformed, on Web Workers) against the
// same source run sequentially, as the page's Run button measures them. Median of 3 runs each.
// Needs /usr/bin/chromium; builds playground/dist when it is missing.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { preview } from 'vite';

const root = fileURLToPath(new URL('..', import.meta.url));
const config = join(root, 'playground/vite.config.ts');
const CHROMIUM = '/usr/bin/chromium';
const ROUNDS = 3;

if (!existsSync(CHROMIUM)) {
  console.log(`skipped: ${CHROMIUM} is not installed`);
  process.exit(0);
}
if (!existsSync(join(root, 'playground/dist/index.html'))) {
  execFileSync(process.execPath, [join(root, 'node_modules/vite/bin/vite.js'), 'build', '--config', config, '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
}

const server = await preview({ configFile: config, logLevel: 'warn', preview: { host: '127.0.0.1', port: 4900, strictPort: false } });
const userDataDir = mkdtempSync(join(tmpdir(), 'tsfork-playground-bench-'));
const context = await chromium.launchPersistentContext(userDataDir, {
  executablePath: CHROMIUM,
  headless: true,
  viewport: { width: 1280, height: 800 },
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (text) => {
  const m = /([\d.]+)\s*(ms|s)/.exec(text ?? '');
  return m ? Number(m[1]) * (m[2] === 's' ? 1000 : 1) : NaN;
};

try {
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(server.resolvedUrls.local[0]);
  await page.locator('.editor-pane .cm-content').waitFor();
  const ids = await page.locator('#example option').evaluateAll((options) => options.map((o) => [o.value, o.textContent]));
  const cores = await page.evaluate(() => navigator.hardwareConcurrency);
  console.log(`chromium ${context.browser()?.version() ?? ''}, navigator.hardwareConcurrency ${cores}`);
  console.log('| example | parallel (ms) | sequential (ms) | speed-up | same output |');
  console.log('| --- | ---: | ---: | ---: | --- |');
  for (const [id, title] of ids) {
    if (id === 'custom') continue;
    await page.selectOption('#example', id);
    const parallel = [];
    const sequential = [];
    let same = true;
    for (let round = 0; round < ROUNDS; round++) {
      await page.locator('#run').click();
      await page.waitForFunction(() => !document.querySelector('#run').disabled && /\d/.test(document.querySelector('.total-sequential .total-ms')?.textContent ?? ''), null, { timeout: 120_000 });
      parallel.push(ms(await page.locator('.total-parallel .total-ms').textContent()));
      sequential.push(ms(await page.locator('.total-sequential .total-ms').textContent()));
      same &&= (await page.locator('#console-tabs .badge').textContent())?.includes('same output') ?? false;
    }
    const p = median(parallel);
    const s = median(sequential);
    console.log(`| ${title} | ${Math.round(p)} | ${Math.round(s)} | ${(s / p).toFixed(2)}x | ${same ? 'yes' : 'NO'} |`);
  }
} finally {
  await context.close();
  rmSync(userDataDir, { recursive: true, force: true });
  await server.close();
}
