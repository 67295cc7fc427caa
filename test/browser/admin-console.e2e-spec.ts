import type { Browser, Page } from 'playwright-core';
import { DataSource } from 'typeorm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PasswordHasher } from '../../src/auth/accounts/password-hasher';
import { refer } from '../utils/purchase-webhooks';
import { createTestApp, TestApp } from '../utils/test-app';
import { createTestUser, TestUser } from '../utils/test-users';
import { hasChromium, launchChromium, screenshots, watchProblems } from './chromium';

describe.skipIf(!hasChromium)('the admin console in Chromium', () => {
  let t: TestApp;
  let browser: Browser;
  let page: Page;
  let problems: string[];
  const password = 'admin password 123';

  beforeAll(async () => {
    t = await createTestApp();
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  const open = async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, baseURL: t.url });
    context.setDefaultTimeout(10_000);
    page = await context.newPage();
    // The notifications inbox API is built on another branch: until it is merged the points page probes it once and gets a 404.
    problems = watchProblems(page, [{ status: 404, path: '/api/notifications' }]);
  };

  afterEach(async () => {
    await page?.context().close();
    expect(problems).toEqual([]);
  });

  const signIn = async (user: TestUser, next = '/dashboard/admin') => {
    await page.goto(`/auth/jwt/sign-in?next=${encodeURIComponent(next)}`);
    await page.getByLabel('Email').fill(user.email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`**${next}`);
  };

  it('shows the funnel and approves a flagged referral after a confirmation', async () => {
    await open();
    const hash = await t.app.get(PasswordHasher).hash(password);
    const admin = await createTestUser(t.app, { name: 'Ada Admin', role: 'admin', passwordHash: hash });
    const referrer = await createTestUser(t.app, { name: 'Rob Referrer' });
    const referee = await createTestUser(t.app, { name: 'Flo Flagged' });
    const referralId = await refer(t.app, referrer, referee, 'flagged');

    await signIn(admin);
    await page.getByRole('heading', { name: 'Admin console' }).waitFor();
    await page.getByTestId('funnel-Sign-ups').filter({ hasText: /^3$/ }).waitFor();
    expect(await page.getByTestId('funnel-Referred sign-ups').textContent()).toBe('1');
    expect(await page.getByTestId('funnel-Converted').textContent()).toBe('0');
    await page.locator('#points-by-day canvas').first().waitFor();
    await screenshots(page, 'admin-overview');

    await page.getByRole('tab', { name: 'Flagged referrals' }).click();
    const item = page.getByRole('listitem', { name: 'Referral of Flo Flagged' });
    await item.waitFor();
    await item.getByText('signed up from the same network as the referrer').waitFor();
    await item.getByText('Rob Referrer').waitFor();
    await screenshots(page, 'admin-flagged');

    await item.getByRole('button', { name: 'Approve Flo Flagged' }).click();
    const dialog = page.getByRole('dialog', { name: 'Approve this referral?' });
    await dialog.waitFor();
    await dialog.getByLabel('Note (optional)').fill('Same office network, checked by phone.');
    await screenshots(page, 'admin-confirm');
    await dialog.getByRole('button', { name: 'Approve' }).click();
    await page.getByText('Approved the referral of Flo Flagged by Rob Referrer.').waitFor();
    await page.getByText('No referrals are waiting for review.').waitFor();

    const [row] = await t.app.get(DataSource).query(`SELECT status FROM referrals WHERE id = $1`, [referralId]);
    expect(row.status).toBe('pending');

    // Sections whose APIs are not built yet say so, with no made-up data; the tabs follow the arrow keys.
    await page.getByRole('tab', { name: 'Flagged referrals' }).focus();
    await page.keyboard.press('ArrowRight');
    await page.getByRole('tab', { name: 'Users', selected: true }).waitFor();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('tab-users');
    await page.getByText('User search, user details and point adjustments will appear here once the server offers them.').waitFor();
  });

  it('keeps a plain user out with a clear "admins only" page', async () => {
    await open();
    const user = await createTestUser(t.app, { name: 'Pat Plain', passwordHash: await t.app.get(PasswordHasher).hash(password) });
    await signIn(user, '/dashboard/account/points');
    expect(await page.getByRole('link', { name: 'Admin' }).count()).toBe(0);

    await page.goto('/dashboard/admin');
    await page.getByRole('heading', { name: 'Admins only' }).waitFor();
    await page.getByText(`You are signed in as ${user.email}, which is not an admin account.`).waitFor();
    expect(await page.getByRole('heading', { name: 'Admin console' }).count()).toBe(0);
    await screenshots(page, 'admin-refused');
  });
});
