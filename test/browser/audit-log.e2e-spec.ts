import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PasswordHasher } from '../../src/auth/accounts/password-hasher';
import { createTestApp, TestApp } from '../utils/test-app';
import { createTestUser, TestUser } from '../utils/test-users';
import { hasChromium, launchChromium, screenshots, watchProblems } from './chromium';

/** The web app asks for 25 entries a page (web/src/api/client.ts). */
const PAGE = 25;

describe.skipIf(!hasChromium)('the audit log in Chromium', () => {
  let t: TestApp;
  let browser: Browser;
  let page: Page;
  let problems: string[];
  let admin: TestUser;
  let ann: TestUser;
  let ben: TestUser;
  /** The query of every audit-log request the page made, in order. */
  let queries: URLSearchParams[];
  const password = 'audit admin password 1';

  /** One point adjustment through the API, which audits it as points.added or points.deducted. */
  const adjust = async (user: TestUser, amount: number, reason: string) => {
    const res = await fetch(`${t.url}/api/points/admin/add`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${admin.token}`, 'Content-Type': 'application/json', 'Idempotency-Key': randomUUID() },
      body: JSON.stringify({ userId: user.id, amount, reason }),
    });
    expect(res.status).toBe(201);
  };

  // 30 entries, oldest first: Ann A-01..A-24 (+1 each), then Ann D-1, D-2 (−1 each), then Ben B-1..B-4 (+1 each).
  beforeAll(async () => {
    t = await createTestApp();
    browser = await launchChromium();
    admin = await createTestUser(t.app, { name: 'Aud Admin', role: 'admin', passwordHash: await t.app.get(PasswordHasher).hash(password) });
    ann = await createTestUser(t.app, { name: 'Ann Audited' });
    ben = await createTestUser(t.app, { name: 'Ben Audited' });
    for (let i = 1; i <= 24; i++) await adjust(ann, 1, `Seed A-${String(i).padStart(2, '0')}`);
    for (let i = 1; i <= 2; i++) await adjust(ann, -1, `Seed D-${i}`);
    for (let i = 1; i <= 4; i++) await adjust(ben, 1, `Seed B-${i}`);
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  afterEach(async () => {
    await page?.context().close();
    expect(problems).toEqual([]);
  });

  const openAudit = async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, baseURL: t.url, locale: 'en-US' });
    context.setDefaultTimeout(10_000);
    page = await context.newPage();
    problems = watchProblems(page);
    queries = [];
    page.on('request', (r) => {
      const url = new URL(r.url());
      if (url.pathname === '/api/admin/audit-log') queries.push(url.searchParams);
    });
    const next = '/dashboard/admin?tab=audit';
    await page.goto(`/auth/jwt/sign-in?next=${encodeURIComponent(next)}`);
    await page.getByLabel('Email').fill(admin.email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`**${next}`);
  };

  const rows = () => page.locator('table.audit tbody tr');

  /** The seed reason of each row shown, top to bottom. */
  const reasons = async () => (await rows().allTextContents()).map((text) => /Seed [A-Z]-\d+/.exec(text)?.[0] ?? text);

  /** Waits until the table shows exactly `first` at the top and `count` rows. */
  const showing = async (first: string, count: number) => {
    await rows().first().filter({ hasText: first }).waitFor();
    await expect.poll(() => rows().count()).toBe(count);
  };

  const filter = async (action: string, targetId: string) => {
    await page.getByLabel('Action').selectOption({ value: action });
    await page.getByLabel('Target id').fill(targetId);
    await page.getByRole('button', { name: 'Filter' }).click();
  };

  const lastQuery = () => Object.fromEntries(queries.at(-1)!.entries());

  it('pages through every entry, newest first, 25 at a time', async () => {
    await openAudit();
    await showing('Seed B-4', PAGE);
    const pager = page.getByRole('navigation', { name: 'Audit log pages' });
    await pager.getByText('Page 1').waitFor();
    expect(await pager.getByRole('button', { name: 'Newer' }).isDisabled()).toBe(true);
    const first = await reasons();
    expect(first.slice(0, 7)).toEqual(['Seed B-4', 'Seed B-3', 'Seed B-2', 'Seed B-1', 'Seed D-2', 'Seed D-1', 'Seed A-24']);
    expect(first.at(-1)).toBe('Seed A-06');
    const top = rows().first();
    expect(await top.textContent()).toContain(admin.email);
    expect(await top.textContent()).toContain('points.added');
    expect(await top.textContent()).toContain(ben.id);
    expect(lastQuery()).toEqual({ limit: String(PAGE) });

    await pager.getByRole('button', { name: 'Older' }).click();
    await showing('Seed A-05', 5);
    await pager.getByText('Page 2').waitFor();
    expect(await reasons()).toEqual(['Seed A-05', 'Seed A-04', 'Seed A-03', 'Seed A-02', 'Seed A-01']);
    expect(await pager.getByRole('button', { name: 'Older' }).isDisabled()).toBe(true);
    expect(lastQuery()).toEqual({ limit: String(PAGE), cursor: expect.any(String) });
    await screenshots(page, 'admin-audit-page-2');

    await pager.getByRole('button', { name: 'Newer' }).click();
    await showing('Seed B-4', PAGE);
    await pager.getByText('Page 1').waitFor();
  });

  it('filters by action (?action=) and by target (?targetId=), alone and together, and pages within a filter', async () => {
    await openAudit();
    await showing('Seed B-4', PAGE);

    await filter('points.deducted', '');
    await showing('Seed D-2', 2);
    expect(await reasons()).toEqual(['Seed D-2', 'Seed D-1']);
    expect(lastQuery()).toEqual({ action: 'points.deducted', limit: String(PAGE) });
    expect(await page.getByRole('navigation', { name: 'Audit log pages' }).count()).toBe(0);

    await filter('', ben.id);
    await showing('Seed B-4', 4);
    expect(await reasons()).toEqual(['Seed B-4', 'Seed B-3', 'Seed B-2', 'Seed B-1']);
    expect(lastQuery()).toEqual({ targetId: ben.id, limit: String(PAGE) });

    await filter('points.deducted', ben.id);
    await page.getByText('No entries match these filters.').waitFor();
    expect(lastQuery()).toEqual({ action: 'points.deducted', targetId: ben.id, limit: String(PAGE) });

    await filter('points.deducted', ann.id);
    await showing('Seed D-2', 2);

    // 28 additions: a second page of 3, still filtered.
    await filter('points.added', '');
    await showing('Seed B-4', PAGE);
    const pager = page.getByRole('navigation', { name: 'Audit log pages' });
    await pager.getByRole('button', { name: 'Older' }).click();
    await showing('Seed A-03', 3);
    expect(await reasons()).toEqual(['Seed A-03', 'Seed A-02', 'Seed A-01']);
    expect(lastQuery()).toEqual({ action: 'points.added', limit: String(PAGE), cursor: expect.any(String) });

    // A new filter starts again from the first page.
    await filter('points.added', ann.id);
    await showing('Seed A-24', 24);
    await page.getByText('Page 2').waitFor({ state: 'detached' });
    await screenshots(page, 'admin-audit-filtered');
  });
});
