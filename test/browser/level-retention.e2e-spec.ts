import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PasswordHasher } from '../../src/auth/accounts/password-hasher';
import { createTestApp, TestApp } from '../utils/test-app';
import { createTestUser, TestUser } from '../utils/test-users';
import { hasChromium, launchChromium, screenshots, watchProblems } from './chromium';

type Retention = { qualifyingPoints: number | null; pointsToRetain: number | null; retainUntil: string | null };

// Level windows are off by default, so the server sends nulls; the other cases answer my-points with the fields set,
// as the server will when LEVEL_WINDOW_MONTHS > 0.
describe.skipIf(!hasChromium)('level retention on the points dashboard in Chromium', () => {
  let t: TestApp;
  let browser: Browser;
  let page: Page;
  let problems: string[];
  let user: TestUser;
  const password = 'retention password 1';

  beforeAll(async () => {
    t = await createTestApp();
    browser = await launchChromium();
    user = await createTestUser(t.app, { name: 'Lev Level', passwordHash: await t.app.get(PasswordHasher).hash(password) });
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  afterEach(async () => {
    await page?.context().close();
    expect(problems).toEqual([]);
  });

  /** The dashboard, with my-points answered by the server and then given `retention` (left as sent when absent). */
  const openDashboard = async (retention?: Retention) => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, baseURL: t.url, locale: 'en-GB', timezoneId: 'UTC' });
    context.setDefaultTimeout(10_000);
    page = await context.newPage();
    problems = watchProblems(page);
    if (retention) {
      await page.route('**/api/points/my-points', async (route) => {
        const response = await route.fetch();
        await route.fulfill({ response, json: { ...(await response.json()), ...retention } });
      });
    }
    await page.goto('/auth/jwt/sign-in');
    await page.getByLabel('Email').fill(user.email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL('**/dashboard/account/points');
    await page.getByTestId('level').waitFor();
    return (await page.getByTestId('level').textContent())!.trim();
  };

  const level = () => page.locator('#level');

  it('says nothing about retention when the server sends nulls (level windows off)', async () => {
    const sent = await (await fetch(`${t.url}/api/points/my-points`, { headers: { Authorization: `Bearer ${user.token}` } })).json();
    // Null, or not sent at all by a server from before level windows.
    expect([sent.qualifyingPoints, sent.pointsToRetain, sent.retainUntil].every((v) => v == null)).toBe(true);
    await openDashboard();
    expect(await page.getByTestId('retention').count()).toBe(0);
    expect(await level().textContent()).not.toContain('qualifying');
    expect(await level().textContent()).not.toContain('to keep');
  });

  it('asks for the points still needed to keep the level, by the next evaluation', async () => {
    const name = await openDashboard({ qualifyingPoints: 380, pointsToRetain: 120, retainUntil: '2027-01-05T00:00:00.000Z' });
    const retention = page.getByTestId('retention');
    await retention.waitFor();
    expect(await retention.locator('p').allTextContents()).toEqual([
      `Earn 120 more points by 5 Jan 2027 to keep ${name}.`,
      '380 qualifying points in the current level window.',
    ]);
    await screenshots(page, 'dashboard-retention');
  });

  it('says until when the level is kept once nothing more is needed', async () => {
    const name = await openDashboard({ qualifyingPoints: 1500, pointsToRetain: 0, retainUntil: '2027-01-05T00:00:00.000Z' });
    const retention = page.getByTestId('retention');
    await retention.waitFor();
    expect(await retention.locator('p').allTextContents()).toEqual([`${name} is kept until 5 Jan 2027.`, '1,500 qualifying points in the current level window.']);
  });
});
