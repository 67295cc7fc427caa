import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { DataSource } from 'typeorm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PasswordHasher } from '../../src/auth/accounts/password-hasher';
import { refer } from '../utils/purchase-webhooks';
import { DEFAULT_DELIVERY_POLICY, WEBHOOK_DELIVERY_POLICY } from '../../src/webhooks/webhook-policy';
import { createTestApp, TestApp } from '../utils/test-app';
import { createTestUser, TestUser } from '../utils/test-users';
import { startReceiver, WebhookReceiver } from '../utils/webhook-receiver';
import { ExpectedHttpError, hasChromium, launchChromium, screenshots, watchProblems } from './chromium';

// The test receiver listens on loopback, which the SSRF guard refuses unless this is set.
process.env.WEBHOOK_ALLOW_PRIVATE_URLS = 'true';

describe.skipIf(!hasChromium)('the admin console in Chromium', () => {
  let t: TestApp;
  let browser: Browser;
  let page: Page;
  let problems: string[];
  let receiver: WebhookReceiver;
  const password = 'admin password 123';

  beforeAll(async () => {
    t = await createTestApp({
      customize: (b) => b.overrideProvider(WEBHOOK_DELIVERY_POLICY).useValue({ ...DEFAULT_DELIVERY_POLICY, dispatchIntervalMs: 100 }),
    });
    browser = await launchChromium();
    receiver = await startReceiver();
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await receiver?.close();
  });

  const open = async (expected: ExpectedHttpError[] = []) => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, baseURL: t.url });
    context.setDefaultTimeout(10_000);
    page = await context.newPage();
    problems = watchProblems(page, expected);
  };

  const newAdmin = async (name: string) => createTestUser(t.app, { name, role: 'admin', passwordHash: await t.app.get(PasswordHasher).hash(password) });

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
    // The legend names both series (the x series has no legend row when the legend is not live).
    expect(await page.locator('#points-by-day .u-legend .u-series').allTextContents()).toEqual([expect.stringContaining('Awarded'), expect.stringContaining('Redeemed')]);
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

    // The tabs follow the arrow keys.
    await page.getByRole('tab', { name: 'Flagged referrals' }).focus();
    await page.keyboard.press('ArrowRight');
    await page.getByRole('tab', { name: 'Users', selected: true }).waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('tab-users');
    await page.getByLabel('Email or user id').waitFor();
    await page.keyboard.press('ArrowRight');
    await page.getByRole('tab', { name: 'Reward rules', selected: true }).waitFor();
    await page.getByRole('heading', { name: 'In force now: version 1' }).waitFor();
  });

  it('finds a user, adjusts their points with a reason, shows the API\'s refusal of an overdraft, and audits the adjustment', async () => {
    await open([{ status: 409, path: '/api/points/admin/add' }]);
    const admin = await newAdmin('Ada Adjuster');
    const tag = randomUUID().slice(0, 8);
    const target = await createTestUser(t.app, { name: 'Una Adjusted', email: `una-${tag}@example.com` });
    await createTestUser(t.app, { name: 'Ulla Other', email: `ulla-${tag}@example.com` });

    await signIn(admin, '/dashboard/admin?tab=users');
    const keys: string[] = [];
    page.on('request', (r) => {
      if (new URL(r.url()).pathname === '/api/points/admin/add') keys.push(r.headers()['idempotency-key']);
    });
    await page.getByLabel('Email or user id').fill(`nobody-${tag}`);
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByText(`No user matches “nobody-${tag}”.`).waitFor();
    await page.getByLabel('Email or user id').fill(`una-${tag}`);
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByTestId('user-results-count').filter({ hasText: `1 user matching “una-${tag}”` }).waitFor();
    expect(await page.locator('.user-row').count()).toBe(1);
    await screenshots(page, 'admin-users');

    // Results come 20 at a time; "Load more users" appends the next page.
    for (let i = 0; i < 21; i++) await createTestUser(t.app, { name: `Many ${i}`, email: `many-${tag}-${i}@example.com` });
    await page.getByLabel('Email or user id').fill(`many-${tag}`);
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByTestId('user-results-count').filter({ hasText: `20+ users matching “many-${tag}”` }).waitFor();
    await page.getByRole('button', { name: 'Load more users' }).click();
    await page.getByTestId('user-results-count').filter({ hasText: `21 users matching “many-${tag}”` }).waitFor();
    expect(await page.locator('.user-row').count()).toBe(21);
    expect(await page.getByRole('button', { name: 'Load more users' }).count()).toBe(0);
    await page.getByLabel('Email or user id').fill(`una-${tag}`);
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByTestId('user-results-count').filter({ hasText: `1 user matching “una-${tag}”` }).waitFor();

    await page.locator('.user-row', { hasText: 'Una Adjusted' }).click();
    await page.getByRole('heading', { name: 'Una Adjusted' }).waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('user-title');
    expect(await page.getByTestId('user-available').textContent()).toBe('0');
    await page.getByText('Nobody referred this user.').waitFor();
    await page.getByText('No ledger entries yet.').waitFor();

    // Without a reason the form says so and sends nothing.
    await page.getByLabel('Points to add or deduct').fill('250');
    await page.getByRole('button', { name: 'Apply adjustment' }).click();
    await page.getByRole('alert').filter({ hasText: 'Say why' }).waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('adjust-reason');

    await page.getByLabel('Reason').fill('Goodwill for the delayed order');
    await page.getByRole('button', { name: 'Apply adjustment' }).click();
    await page.getByText('Granted 250 points (+250). Una Adjusted now has 250 available.').waitFor();
    await page.getByTestId('user-available').filter({ hasText: /^250$/ }).waitFor();
    await page.locator('#user-ledger tr', { hasText: 'Goodwill for the delayed order' }).filter({ hasText: '+250' }).waitFor();
    const [balance] = await t.app.get(DataSource).query(`SELECT available FROM point_balances WHERE user_id = $1`, [target.id]);
    expect(Number(balance.available)).toBe(250);
    await screenshots(page, 'admin-user-detail');

    // A deduction beyond what is available: the API refuses, and its message is shown.
    await page.getByLabel('Points to add or deduct').fill('-1000');
    await page.getByLabel('Reason').fill('Too much');
    await page.getByRole('button', { name: 'Apply adjustment' }).click();
    await page.locator('#adjust').getByRole('alert').filter({ hasText: 'Only 250 points are available' }).waitFor();
    expect(await page.getByTestId('user-available').textContent()).toBe('250');

    // Each adjustment carried its own Idempotency-Key.
    expect(keys).toHaveLength(2);
    expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(keys[1]).not.toBe(keys[0]);

    await page.getByRole('button', { name: 'Back to the search' }).click();
    // Focus moves once the search view has rendered, which on a loaded machine is after the click returns.
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('user-query');
    await page.locator('.user-row', { hasText: 'Una Adjusted' }).waitFor();

    await page.getByRole('tab', { name: 'Audit log' }).click();
    await page.getByLabel('Action').selectOption('points.added');
    await page.getByLabel('Target id').fill(target.id);
    await page.getByRole('button', { name: 'Filter' }).click();
    const row = page.locator('table.audit tbody tr', { hasText: 'Goodwill for the delayed order' });
    await row.waitFor();
    expect(await page.locator('table.audit tbody tr').count()).toBe(1);
    expect(await row.textContent()).toContain(admin.email);
    expect(await row.textContent()).toContain('amount: 250');
    await screenshots(page, 'admin-audit');
    await page.getByLabel('Action').selectOption('points.deducted');
    await page.getByText('No entries match these filters.').waitFor();
  });

  it('adds a webhook endpoint showing its secret once, sends a test, disables it and deletes it after a confirmation', async () => {
    await open();
    const admin = await newAdmin('Wes Webhooks');
    await signIn(admin, '/dashboard/admin?tab=webhooks');
    await page.getByText('No webhook endpoints yet.').waitFor();

    // Nothing chosen: the form says what is missing.
    await page.getByLabel('URL').fill(receiver.url);
    await page.getByRole('button', { name: 'Add endpoint' }).click();
    await page.getByRole('alert').filter({ hasText: 'Choose at least one event' }).waitFor();

    await page.getByLabel('Description (optional)').fill('CRM sync');
    await page.getByLabel('points.earned').check();
    await page.getByLabel('referral.converted').check();
    await page.getByRole('button', { name: 'Add endpoint' }).click();
    await page.getByRole('heading', { name: 'Endpoint added: copy its signing secret now' }).waitFor();
    await page.getByText('You will not see this secret again.').waitFor();
    const secret = (await page.getByTestId('webhook-secret').textContent())?.trim();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: t.url });
    await page.getByRole('button', { name: 'Copy secret' }).click();
    await page.getByRole('button', { name: 'Copied' }).waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);
    const item = page.getByRole('listitem', { name: `Endpoint ${receiver.url}` });
    await item.waitFor();
    await item.getByText(/^Events: (points\.earned, referral\.converted|referral\.converted, points\.earned)$/).waitFor();
    await item.getByText('CRM sync').waitFor();
    await screenshots(page, 'admin-webhook-secret');

    await page.getByRole('button', { name: 'I have stored it' }).click();
    await page.getByRole('heading', { name: 'Add an endpoint' }).waitFor();
    expect(await page.content()).not.toContain(secret!);

    await item.getByRole('button', { name: 'Send test' }).click();
    await page.getByText(`Sent a webhook.test event to ${receiver.url}.`).waitFor();
    const deliveries = item.getByRole('region', { name: 'Deliveries' });
    await deliveries.locator('tr', { hasText: 'webhook.test' }).waitFor();
    // The dispatcher delivers it within moments; Refresh shows the receiver's answer.
    await expect.poll(() => receiver.received.length, { timeout: 10_000 }).toBeGreaterThan(0);
    await expect
      .poll(async () => {
        await deliveries.getByRole('button', { name: 'Refresh deliveries' }).click();
        return deliveries.locator('tr', { hasText: 'succeeded' }).count();
      }, { timeout: 10_000 })
      .toBe(1);
    await deliveries.getByText('HTTP 204', { exact: false }).waitFor();
    await item.getByText('none yet').waitFor({ state: 'detached' });
    await screenshots(page, 'admin-webhooks');

    await item.getByRole('button', { name: 'Disable' }).click();
    await item.getByText('disabled by an admin').waitFor();
    await item.getByRole('button', { name: 'Enable' }).waitFor();

    await item.getByRole('button', { name: 'Delete' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete this endpoint?' });
    await dialog.getByRole('button', { name: 'Delete' }).click();
    await page.getByText(`Deleted the endpoint ${receiver.url}.`).waitFor();
    await page.getByText('No webhook endpoints yet.').waitFor();
    const [{ count }] = await t.app.get(DataSource).query(`SELECT count(*)::int AS count FROM webhook_endpoints`);
    expect(count).toBe(0);

    await page.getByRole('tab', { name: 'Audit log' }).click();
    await page.getByLabel('Action').selectOption('webhook.deleted');
    await page.locator('table.audit tbody tr', { hasText: 'webhook.deleted' }).waitFor();
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
