import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { DataSource } from 'typeorm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PasswordHasher } from '../../src/auth/accounts/password-hasher';
import { freePort } from '../../src/database/embedded-database';
import { MAIL_TRANSPORT } from '../../src/mail/mail-transport';
import { MailOutbox } from '../utils/mail-outbox';
import { signedPost } from '../utils/purchase-webhooks';
import { createTestApp, TestApp } from '../utils/test-app';
import { createTestUser } from '../utils/test-users';
import { ExpectedHttpError, hasChromium, launchChromium, screenshots, watchProblems } from './chromium';

describe.skipIf(!hasChromium)('the web app in Chromium, as a user', () => {
  let t: TestApp;
  let browser: Browser;
  let page: Page;
  let problems: string[];
  const outbox = new MailOutbox();

  beforeAll(async () => {
    const port = await freePort();
    process.env.PUBLIC_URL = `http://127.0.0.1:${port}`;
    t = await createTestApp({ port, customize: (b) => b.overrideProvider(MAIL_TRANSPORT).useValue(outbox) });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  const open = async (expected: ExpectedHttpError[] = []) => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, baseURL: t.url });
    context.setDefaultTimeout(10_000);
    page = await context.newPage();
    problems = watchProblems(page, expected);
  };

  afterEach(async () => {
    await page?.context().close();
    expect(problems).toEqual([]);
  });

  const text = (testId: string) => page.getByTestId(testId).textContent();

  it('signs up from a short link with the mailed code, sees points arrive live, and redeems them for a discount code', async () => {
    await open();
    const referrer = await createTestUser(t.app, { name: 'Rita Referrer' });
    const { body: link } = await t.http.post('/api/points/generate-referral-code').set('Authorization', `Bearer ${referrer.token}`).expect(201);
    expect(link.url).toBe(`${t.url}/r/${link.code}`);

    await page.goto(link.url);
    expect(new URL(page.url()).pathname + new URL(page.url()).search).toBe(`/auth/jwt/sign-up?ref=${link.code}`);
    await page.getByRole('heading', { name: 'Create your account' }).waitFor();
    await page.getByText(`You were invited with the code ${link.code}`).waitFor();
    expect(await page.getByLabel('Referral code (optional)').inputValue()).toBe(link.code);
    expect(await page.getByText('Continue with Google').count()).toBe(0);
    expect(await page.getByText(/We sent a 6-digit code/).count()).toBe(0);
    await screenshots(page, 'sign-up');

    const email = `vera-${randomUUID().slice(0, 8)}@example.com`;
    await page.getByLabel('Your name').fill('Vera Visitor');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill('correct horse battery');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByText(`We sent a 6-digit code to ${email}`).waitFor();
    await screenshots(page, 'verify-code');

    await page.getByLabel('6-digit code').fill(await outbox.code(email));
    await page.getByRole('button', { name: 'Verify and continue' }).click();
    await page.waitForURL('**/dashboard/account/points');
    await page.getByTestId('live-status').filter({ hasText: 'Live updates on' }).waitFor();
    expect(await text('available')).toMatch(/^0\b/);
    await page.locator('.email', { hasText: email }).waitFor();
    const storage = await page.evaluate(() => ({ session: sessionStorage.getItem('accessToken'), local: localStorage.getItem('accessToken') }));
    expect(storage.session).toMatch(/^ey/);
    expect(storage.local).toBeNull();

    const [user] = await t.app.get(DataSource).query(`SELECT id, referred_by_id FROM users WHERE email = $1`, [email]);
    expect(user.referred_by_id).toBe(referrer.id);

    // No reload: the page keeps this marker only if the points come over the socket.
    await page.evaluate(() => Object.assign(window, { sameDocument: true }));
    await signedPost(t.http, '/api/purchases/completed', { orderId: `order-${randomUUID()}`, userId: user.id, amount: 2500, currency: 'USD' }).expect(202);
    await page.getByTestId('available').filter({ hasText: /^100\b/ }).waitFor();
    await page.getByText('+100 points. Available now: 100.').waitFor();
    expect(await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).toBe(true);
    await page.locator('#history td', { hasText: '+100' }).waitFor();

    await page.getByLabel('Points to redeem').fill('60');
    await page.getByLabel('Discount code').check();
    await page.getByRole('button', { name: 'Redeem', exact: true }).click();
    await page.getByText(/Redeemed 60 points for \$0\.60 off your next order/).waitFor();
    const code = (await page.getByTestId('discount-code').textContent())?.trim();
    expect(code).toMatch(/^[A-Z0-9-]{6,}$/);
    await page.getByTestId('available').filter({ hasText: /^40\b/ }).waitFor();
    await page.locator('#history td', { hasText: '-60' }).waitFor();

    // The leaderboard lists the referrer, and says nothing about a rank this user does not have.
    await page.locator('.leaderboard li', { hasText: 'Rita Referrer' }).waitFor();
    expect(await page.getByText(/You are #/).count()).toBe(0);
    // The redemption's notification arrives over the socket; reading it clears the badge.
    await page.locator('#notifications li', { hasText: 'Redemption done' }).waitFor();
    await page.getByTestId('unread').filter({ hasText: '1 unread' }).waitFor();
    await screenshots(page, 'dashboard');
    await page.locator('#notifications').getByRole('button', { name: 'Mark all as read' }).click();
    await page.getByTestId('unread').waitFor({ state: 'detached' });
    await page.locator('#notifications li.read', { hasText: 'Redemption done' }).waitFor();
    // Read in the inbox, so a reload shows it read and no badge.
    await page.reload();
    await page.locator('#notifications li.read', { hasText: 'Redemption done' }).waitFor();
    expect(await page.getByTestId('unread').count()).toBe(0);
    const [{ unread }] = await t.app.get(DataSource).query(`SELECT count(*)::int AS unread FROM notifications WHERE user_id = $1 AND read_at IS NULL`, [user.id]);
    expect(unread).toBe(0);

    await page.getByLabel('Show').selectOption('spend');
    // The filtered page replaces the unfiltered one when it arrives: wait for it, not for any row.
    await expect.poll(() => page.locator('#history tbody tr').count()).toBe(1);
    expect(await page.locator('#history tbody tr').textContent()).toContain('-60');
  });

  it('signs in, announces a wrong password, and keeps a signed-out visitor off the dashboard', async () => {
    await open([{ status: 401, path: '/api/auth/login' }]);
    const password = 'a long enough password';
    // A long address: on a phone the header must cut it short rather than run off the screen (screenshots() checks).
    const email = `samuel.signin.with.a.rather-long-address-${randomUUID().slice(0, 8)}@example.com`;
    const user = await createTestUser(t.app, { email, name: 'Sam Signin', passwordHash: await t.app.get(PasswordHasher).hash(password) });

    await page.goto('/dashboard/account/points');
    await page.waitForURL('**/auth/jwt/sign-in?next=%2Fdashboard%2Faccount%2Fpoints');
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await screenshots(page, 'sign-in');

    await page.getByLabel('Email').fill(user.email);
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: /not correct/ }).waitFor();

    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL('**/dashboard/account/points');
    await page.getByRole('heading', { name: 'My points' }).waitFor();
    await page.getByText('No one has signed up with your link yet.').waitFor();
    await page.getByText('No points yet').waitFor();
    await page.getByText('Refer a friend to join the board.').waitFor();
    expect(await page.getByText(/You are #/).count()).toBe(0);
    await screenshots(page, 'dashboard-empty');
  });

  it('closes the account after a confirmation', async (ctx) => {
    const probe = await t.http.delete('/api/auth/me');
    if (probe.status === 404) {
      ctx.skip('DELETE /api/auth/me is not on this branch yet (it is built on another); this test runs once it is');
      return;
    }
    await open();
    const password = 'a long enough password';
    const user = await createTestUser(t.app, { name: 'Cleo Closer', passwordHash: await t.app.get(PasswordHasher).hash(password) });
    await page.goto('/auth/jwt/sign-in');
    await page.getByLabel('Email').fill(user.email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL('**/dashboard/account/points');

    await page.getByRole('button', { name: 'Close my account' }).click();
    const dialog = page.getByRole('dialog', { name: 'Close your account?' });
    await dialog.getByRole('button', { name: 'Close my account' }).click();
    await page.waitForURL('**/auth/jwt/sign-in?closed=1');
    await page.getByText('Your account has been closed.').waitFor();
    expect(await page.evaluate(() => sessionStorage.getItem('accessToken'))).toBeNull();
    await t.http.get('/api/auth/me').set('Authorization', `Bearer ${user.token}`).expect(401);
  });

  it('resets a forgotten password with the mailed code', async (ctx) => {
    const probe = await t.http.post('/api/auth/forgot-password').send({ email: 'nobody@example.com' });
    if (probe.status === 404) {
      ctx.skip('POST /api/auth/forgot-password is not on this branch yet (it is built on another); this test runs once it is');
      return;
    }
    await open();
    const user = await createTestUser(t.app, { name: 'Fay Forgetful', passwordHash: await t.app.get(PasswordHasher).hash('the old password') });
    const before = outbox.to(user.email).length;

    await page.goto('/auth/jwt/sign-in');
    await page.getByRole('button', { name: 'Forgot your password?' }).click();
    await page.getByRole('heading', { name: 'Reset your password' }).waitFor();
    await page.getByLabel('Email').fill(user.email);
    await page.getByRole('button', { name: 'Send the code' }).click();
    await page.getByRole('heading', { name: 'Choose a new password' }).waitFor();
    await screenshots(page, 'reset-password');

    await page.getByLabel('6-digit code').fill(await outbox.code(user.email, before + 1));
    await page.getByLabel('New password', { exact: true }).fill('the new password');
    await page.getByLabel('Repeat the new password').fill('the new password');
    await page.getByRole('button', { name: 'Save and sign in' }).click();
    await page.waitForURL('**/dashboard/account/points');
    await page.getByRole('heading', { name: 'My points' }).waitFor();

    await t.http.post('/api/auth/login').send({ email: user.email, password: 'the new password' }).expect(200);
    await t.http.post('/api/auth/login').send({ email: user.email, password: 'the old password' }).expect(401);
  });
});
