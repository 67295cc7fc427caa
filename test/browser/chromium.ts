/// <reference lib="dom" />
// Code passed to page.evaluate() runs in the browser, so these files see the DOM types.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Browser, chromium, Page } from 'playwright-core';

/** Debian's chromium (`apt-get install -y chromium`); `.ci/run` installs it when missing. */
export const CHROMIUM = '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);

export const SCREENSHOTS = join(__dirname, 'screenshots');

/** Headless Chromium with a fresh profile (Playwright's launch() gives each browser its own temporary user-data-dir). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** An API answer the test provokes on purpose (a wrong password's 401); Chromium logs each as a console error. */
export interface ExpectedHttpError {
  status: number;
  path: string;
}

/**
 * Collects every page error and console error, so that a test can fail on any of them. The one exception is
 * Chromium's "Failed to load resource" line for an answer listed in `expected` (matched by status and path).
 */
export function watchProblems(page: Page, expected: ExpectedHttpError[] = []): string[] {
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const failed = /^Failed to load resource: the server responded with a status of (\d+)/.exec(message.text());
    const url = message.location().url;
    if (failed && url && expected.some((e) => e.status === Number(failed[1]) && new URL(url).pathname === e.path)) return;
    problems.push(`console error: ${message.text()}${url ? ` (${url})` : ''}`);
  });
  return problems;
}

/**
 * Screenshots the page at 1280 and 390 px wide (test/browser/screenshots, git-ignored) and checks that at 390 px
 * nothing runs off the screen sideways.
 */
export async function screenshots(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: width === 390 ? 844 : 900 });
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    await page.screenshot({ path: join(SCREENSHOTS, `${name}-${width}.png`), fullPage: true });
    if (width === 390) {
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      if (overflow > 0) throw new Error(`${name} is ${overflow} px wider than a 390 px screen`);
    }
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}
