// Shared set-up of the playground's browser tests: a fresh build, a preview server on 127.0.0.1 with the
// page's COOP/COEP headers, and Debian's chromium driven by playwright-core.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { preview, type PreviewServer } from 'vite';

export const root = fileURLToPath(new URL('../..', import.meta.url));
export const CHROMIUM = '/usr/bin/chromium';
export const screenshots = join(root, 'test/.tmp');
const config = join(root, 'playground/vite.config.ts');
const built = join(root, 'playground/dist/index.html');

/** Outside CI the browser tests may skip when chromium is absent; in CI they must run (and fail without it). */
export const browserAvailable = existsSync(CHROMIUM);
export const mustRun = process.env.CI === 'true';

function newest(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newest(join(path, name))));
}

/** Builds playground/dist unless it is newer than everything it is built from. */
export function ensureBuild(): void {
  const inputs = ['playground/index.html', 'playground/src', 'playground/vite.config.ts', 'transformer/core', 'runtime/loop-joins.ts', 'package-lock.json'];
  const fresh = existsSync(built) && statSync(built).mtimeMs > Math.max(...inputs.map((p) => newest(join(root, p))));
  if (fresh) return;
  execFileSync(process.execPath, [join(root, 'node_modules/vite/bin/vite.js'), 'build', '--config', config, '--logLevel', 'warn'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

export async function servePlayground(): Promise<{ server: PreviewServer; url: string }> {
  const server = await preview({
    configFile: config,
    logLevel: 'warn',
    preview: { host: '127.0.0.1', port: 4300 + Math.floor(Math.random() * 600), strictPort: false, open: false },
  });
  const url = server.resolvedUrls?.local[0];
  if (!url) throw new Error('vite preview started but reported no local URL');
  return { server, url };
}

export async function launchBrowser(): Promise<{ context: BrowserContext; close: () => Promise<void> }> {
  if (!browserAvailable) {
    throw new Error(`${CHROMIUM} is missing: install it with \`apt-get install -y chromium\` (.ci/run does this in CI)`);
  }
  const userDataDir = mkdtempSync(join(tmpdir(), 'tsfork-playground-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 800 },
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync',
    ],
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

export function screenshotPath(name: string): string {
  mkdirSync(screenshots, { recursive: true });
  return join(screenshots, name);
}

export interface OpenPage {
  page: Page;
  /** Uncaught errors of the page itself (not of the user's program), collected for the test to assert on. */
  pageErrors: string[];
  close: () => Promise<void>;
}

/** Builds if stale, serves, launches chromium and opens the page with its editor ready. */
export async function openPlayground(): Promise<OpenPage> {
  ensureBuild();
  const { server, url } = await servePlayground();
  const browser = await launchBrowser().catch(async (error: unknown) => { await server.close(); throw error; });
  const page = browser.context.pages()[0] ?? (await browser.context.newPage());
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(url);
  await page.locator('.editor-pane .cm-content').waitFor();
  return {
    page,
    pageErrors,
    close: async () => {
      await browser.close();
      await server.close();
    },
  };
}

/** Replaces the editor's program, as a user selecting all and pasting would. */
export async function typeProgram(page: Page, code: string): Promise<void> {
  await page.locator('.editor-pane .cm-content').click();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.press('Delete');
  // insertText types the whole program as one input, so auto-closed brackets do not double up.
  await page.keyboard.insertText(code);
}
