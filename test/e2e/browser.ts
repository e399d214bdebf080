/**
 * Headless Debian Chromium driven by playwright-core (never a downloaded browser), with a fresh
 * profile, and a log of every console error and uncaught page error.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import { ROOT, tempDir } from './harness';

export const CHROMIUM = process.env.E2E_CHROMIUM ?? '/usr/bin/chromium';

export interface PageProblem {
  kind: 'console' | 'pageerror' | 'requestfailed';
  text: string;
  url?: string;
}

export interface Browser {
  context: BrowserContext;
  page: Page;
  problems: PageProblem[];
  profileDir: string;
  close(): Promise<void>;
}

export async function launchBrowser(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install chromium`);
  const profileDir = tempDir('chromium');
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1400, height: 1150 },
    timeout: 60000,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
      '--no-first-run',
    ],
  });
  context.setDefaultTimeout(20000);
  const page = context.pages()[0] ?? (await context.newPage());
  const problems: PageProblem[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push({ kind: 'console', text: m.text(), url: m.location().url });
  });
  page.on('pageerror', (e) => problems.push({ kind: 'pageerror', text: `${e.message}\n${e.stack ?? ''}` }));
  page.on('requestfailed', (r) => {
    // Aborted navigations of the editor's own long polls are not failures.
    if (r.failure()?.errorText !== 'net::ERR_ABORTED')
      problems.push({
        kind: 'requestfailed',
        text: `${r.method()} ${r.url()}: ${r.failure()?.errorText}`,
        url: r.url(),
      });
  });
  return {
    context,
    page,
    problems,
    profileDir,
    async close() {
      await context.close().catch(() => undefined);
      fs.rmSync(profileDir, { recursive: true, force: true });
    },
  };
}

/**
 * Where screenshots go: E2E_SCREENSHOTS (e.g. docs/images, to refresh the README's pictures) or
 * dist/test/e2e/screenshots.
 */
export function screenshotDir(): string {
  const dir = process.env.E2E_SCREENSHOTS
    ? path.resolve(ROOT, process.env.E2E_SCREENSHOTS)
    : path.join(ROOT, 'dist', 'test', 'e2e', 'screenshots');
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}
