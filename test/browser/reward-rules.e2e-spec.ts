import type { Browser, Page } from 'playwright-core';
import { DataSource } from 'typeorm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PasswordHasher } from '../../src/auth/accounts/password-hasher';
import { AppConfig } from '../../src/config/app-config';
import { APP_CONFIG } from '../../src/config/config.module';
import { createTestApp, TestApp } from '../utils/test-app';
import { createTestUser, TestUser } from '../utils/test-users';
import { ExpectedHttpError, hasChromium, launchChromium, screenshots, watchProblems } from './chromium';

const DAY = 86_400_000;

// The tests run in order on one database: version 1 is the seed, 2 is scheduled then withdrawn, 3 applies at once.
describe.skipIf(!hasChromium)('the reward rules screen in Chromium', () => {
  let t: TestApp;
  let browser: Browser;
  let page: Page;
  let problems: string[];
  let admin: TestUser;
  let seed: AppConfig['rewards'];
  const password = 'rules admin password 1';

  beforeAll(async () => {
    t = await createTestApp();
    browser = await launchChromium();
    seed = t.app.get<AppConfig>(APP_CONFIG).rewards;
    admin = await createTestUser(t.app, { name: 'Rue Rules', role: 'admin', passwordHash: await t.app.get(PasswordHasher).hash(password) });
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  afterEach(async () => {
    await page?.context().close();
    expect(problems).toEqual([]);
  });

  /** Signed in as the admin on the rules tab; in UTC, so that a datetime-local value reads as an ISO time, and en-US. */
  const openRules = async (expected: ExpectedHttpError[] = []) => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, baseURL: t.url, timezoneId: 'UTC', locale: 'en-US' });
    context.setDefaultTimeout(10_000);
    page = await context.newPage();
    problems = watchProblems(page, expected);
    const next = '/dashboard/admin?tab=rules';
    await page.goto(`/auth/jwt/sign-in?next=${encodeURIComponent(next)}`);
    await page.getByLabel('Email').fill(admin.email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`**${next}`);
  };

  /** The page's own rendering of a date-time (the browser's locale), to compare with what it shows. */
  const shown = (iso: string) =>
    page.evaluate((at) => new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(at)), iso);

  const facts = async (version: number) => {
    const dl = page.getByTestId(`rules-facts-${version}`).first();
    const terms = await dl.locator('dt').allTextContents();
    const values = await dl.locator('dd').allTextContents();
    return Object.fromEntries(terms.map((term, i) => [term, values[i]]));
  };

  const awards = async () => {
    const rows = page.locator('[data-testid="preview-result"] tbody tr');
    await rows.first().waitFor();
    return (await rows.evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')))) as string[][];
  };

  it('shows the version in force with every field, who set it, and empty scheduled and history lists', async () => {
    await openRules();
    const card = page.locator('#rules-active');
    await card.getByRole('heading', { name: 'In force now: version 1' }).waitFor();
    expect(await facts(1)).toEqual({
      'Referee bonus': `${seed.refereeBonus} points`,
      'Referrer bonus': `${seed.referrerBonus} points`,
      Commission: `${seed.commissionBasisPoints / 100} %`,
      'Second-level commission': `${seed.secondLevelBasisPoints / 100} %`,
      'Minimum first purchase': expect.stringContaining(String(seed.minPurchaseAmount / 100)),
      'Commission window': seed.commissionWindowMonths ? `${seed.commissionWindowMonths} months` : 'forever',
      'Holding period': seed.holdingDays ? `${seed.holdingDays} days` : 'none',
      'Commission cap per referee': 'no cap',
    });
    await card.getByText('Created by the REWARD_* configuration').waitFor();
    await page.getByText('No version is scheduled.').waitFor();
    await page.getByText('No earlier versions: version 1 is the first.').waitFor();
    // The form starts from the version in force.
    expect(await page.getByLabel('Referee bonus (points)').inputValue()).toBe(String(seed.refereeBonus));
    expect(await page.getByLabel('Commission (%)', { exact: true }).inputValue()).toBe(String(seed.commissionBasisPoints / 100));
    expect(await page.getByLabel('Commission cap per referee (points, optional)').inputValue()).toBe('');
  });

  it('previews the awards of a purchase under the version in force', async () => {
    await openRules();
    await page.getByLabel('Purchase amount (cents)').fill('12345');
    await page.getByLabel('Currency').fill('usd');
    await page.getByText('= $123.45').waitFor();
    await page.getByRole('button', { name: 'Preview awards' }).click();
    await page.getByRole('heading', { name: 'Version 1: $123.45, first purchase' }).waitFor();
    const commission = Math.floor((12345 * seed.commissionBasisPoints) / 10_000);
    const second = Math.floor((12345 * seed.secondLevelBasisPoints) / 10_000);
    const spendable = seed.holdingDays ? expect.stringMatching(/^from /) : 'at once';
    expect(await awards()).toEqual([
      ['Referee (the buyer): first-purchase bonus', String(seed.refereeBonus), spendable],
      ['Referrer: first-purchase bonus', String(seed.referrerBonus), spendable],
      ['Referrer: commission', String(commission), spendable],
      ["Referrer's referrer: second-level commission", String(second), spendable],
    ]);
    const total = seed.refereeBonus + seed.referrerBonus + commission + second;
    expect(await page.locator('[data-testid="preview-result"] tfoot td.num').textContent()).toBe(total.toLocaleString('en-US'));
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Preview awards');

    // A later purchase earns only the commissions.
    await page.getByLabel("The referee's first purchase (earns the bonuses)").uncheck();
    await page.getByRole('button', { name: 'Preview awards' }).click();
    await page.getByRole('heading', { name: 'Version 1: $123.45, a later purchase' }).waitFor();
    expect((await awards()).map((row) => row[0])).toEqual(['Referrer: commission', "Referrer's referrer: second-level commission"]);
  });

  it('shows the validation errors of the API beside their fields, and focuses the first', async () => {
    const refused = { status: 400, path: '/api/admin/reward-rules' };
    await openRules([refused, refused]);
    // The form's live preview runs its values through the server's rule function as they are typed.
    const draft = page.getByTestId('draft-preview');
    await page.getByLabel('Referee bonus (points)', { exact: true }).fill('275');
    await draft.getByText('Referee (the buyer): first-purchase bonus: 275').waitFor();
    await page.getByLabel('Commission (%)', { exact: true }).fill('150');
    await draft.getByText('Some values are out of range').waitFor();
    await page.getByRole('button', { name: 'Create and apply now' }).click();
    const error = page.locator('#rules-commissionPercent-error');
    await error.waitFor();
    expect(await error.textContent()).toBe('Must be a number from 0 to 100 with at most 2 decimals');
    expect(await page.getByLabel('Commission (%)', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByLabel('Commission (%)', { exact: true }).getAttribute('aria-describedby')).toContain('rules-commissionPercent-error');
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('rules-commissionPercent');
    await page.locator('#rules-new').getByRole('alert').filter({ hasText: 'The server refused one field' }).waitFor();
    await screenshots(page, 'admin-rules-invalid');

    // An empty required field is caught before anything is sent.
    await page.getByLabel('Commission (%)', { exact: true }).fill('');
    await page.getByRole('button', { name: 'Create and apply now' }).click();
    await page.locator('#rules-commissionPercent-error').filter({ hasText: 'Enter a number.' }).waitFor();

    // A time in the past: refused by the service, shown at the date field.
    await page.getByLabel('Commission (%)', { exact: true }).fill('6');
    await page.getByLabel('Later, at a date and time').check();
    await page.getByLabel('Effective from').fill('2020-01-01T09:00');
    await page.getByRole('button', { name: 'Schedule version' }).click();
    await page.locator('#rules-effectiveFrom-error').filter({ hasText: 'Must not be in the past' }).waitFor();
    expect(await page.locator('#rules-commissionPercent-error').count()).toBe(0);
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('rules-effectiveFrom');

    const [{ count }] = await t.app.get(DataSource).query(`SELECT count(*)::int AS count FROM reward_rule_versions`);
    expect(count).toBe(1);
  });

  it('schedules a version, lists it, previews it, and withdraws it after a confirmation; both are audited', async () => {
    await openRules();
    const from = new Date(Math.ceil((Date.now() + 2 * DAY) / 60_000) * 60_000);
    await page.getByLabel('Referee bonus (points)').fill('250');
    await page.getByLabel('Holding period (days)').fill('14');
    await page.getByLabel('Commission cap per referee (points, optional)').fill('5000');
    await page.getByLabel('Later, at a date and time').check();
    await page.getByLabel('Effective from').fill(from.toISOString().slice(0, 16));
    await page.getByLabel('Note (optional)').fill('Spring campaign: a bigger welcome.');
    await page.getByRole('button', { name: 'Schedule version' }).click();
    await page.getByText(`Version 2 is scheduled to take effect on ${await shown(from.toISOString())}.`).waitFor();

    const item = page.getByRole('listitem', { name: 'Scheduled version 2' });
    await item.waitFor();
    await item.getByText(`takes effect ${await shown(from.toISOString())}`).waitFor();
    await item.getByText('Spring campaign: a bigger welcome.').waitFor();
    await item.getByText(admin.email).waitFor();
    expect(await facts(2)).toMatchObject({ 'Referee bonus': '250 points', 'Holding period': '14 days', 'Commission cap per referee': '5,000 points' });
    // The version in force is unchanged, and so is the form's starting point.
    await page.getByRole('heading', { name: 'In force now: version 1' }).waitFor();
    expect(await page.getByLabel('Referee bonus (points)').inputValue()).toBe(String(seed.refereeBonus));
    expect(await page.getByLabel('Now', { exact: true }).isChecked()).toBe(true);
    expect(await page.getByLabel('Note (optional)').inputValue()).toBe('');
    const [row] = await t.app.get(DataSource).query(`SELECT referee_bonus, holding_days, effective_from, created_by, note FROM reward_rule_versions WHERE version = 2`);
    expect(row).toMatchObject({ referee_bonus: 250, holding_days: 14, created_by: admin.id, note: 'Spring campaign: a bigger welcome.' });
    expect(new Date(row.effective_from).toISOString()).toBe(from.toISOString());

    // The preview runs the scheduled version on request: its bonus, held for its 14 days.
    await page.getByLabel('Version', { exact: true }).selectOption('2');
    await page.getByLabel('Purchase amount (cents)').fill('10000');
    await page.getByRole('button', { name: 'Preview awards' }).click();
    await page.getByRole('heading', { name: 'Version 2: $100.00, first purchase' }).waitFor();
    const rows = await awards();
    expect(rows[0].slice(0, 2)).toEqual(['Referee (the buyer): first-purchase bonus', '250']);
    expect(rows.every((r) => r[2].startsWith('from '))).toBe(true);
    await page.mouse.move(0, 0);
    await screenshots(page, 'admin-rules');

    await item.getByRole('button', { name: 'Withdraw version 2' }).click();
    const dialog = page.getByRole('dialog', { name: 'Withdraw version 2?' });
    await dialog.getByText(`It was to take effect on ${await shown(from.toISOString())}.`).waitFor();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
    await item.waitFor();

    await item.getByRole('button', { name: 'Withdraw version 2' }).click();
    await dialog.getByRole('button', { name: 'Withdraw' }).click();
    await page.getByText('Withdrew version 2; it will never apply.').waitFor();
    await page.getByText('No version is scheduled.').waitFor();
    expect(await page.getByRole('option', { name: /^Version 2/ }).count()).toBe(0);
    const [withdrawn] = await t.app.get(DataSource).query(`SELECT withdrawn_at FROM reward_rule_versions WHERE version = 2`);
    expect(withdrawn.withdrawn_at).not.toBeNull();
    // The preview had version 2 chosen; it falls back to the version in force.
    await page.getByRole('button', { name: 'Preview awards' }).click();
    await page.getByRole('heading', { name: 'Version 1: $100.00, first purchase' }).waitFor();

    await page.getByRole('tab', { name: 'Audit log' }).click();
    for (const action of ['rules.created', 'rules.withdrawn']) {
      await page.getByLabel('Action').selectOption(action);
      await page.getByLabel('Target id').fill('2');
      await page.getByRole('button', { name: 'Filter' }).click();
      const entry = page.locator('table.audit tbody tr', { hasText: action });
      await entry.waitFor();
      expect(await page.locator('table.audit tbody tr').count()).toBe(1);
      expect(await entry.textContent()).toContain(admin.email);
    }
  });

  it('applies a version at once: the old one moves to the history and the form starts from the new one', async () => {
    await openRules();
    await page.getByLabel('Commission (%)', { exact: true }).fill('7.5');
    await page.getByRole('button', { name: 'Create and apply now' }).click();
    await page.getByText('Version 3 is in force from now.').waitFor();
    await page.getByRole('heading', { name: 'In force now: version 3' }).waitFor();
    expect(await facts(3)).toMatchObject({ Commission: '7.5 %' });
    expect(await page.getByLabel('Commission (%)', { exact: true }).inputValue()).toBe('7.5');
    // The form stays where it was, so keyboard focus is not lost.
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Create and apply now');

    const old = page.getByRole('listitem', { name: 'Version 1', exact: true });
    await old.waitFor();
    await old.getByText('Created by the REWARD_* configuration').waitFor();
    expect(await page.locator('#rules-history .version').count()).toBe(1);

    await page.getByRole('button', { name: 'Preview awards' }).click();
    await page.getByRole('heading', { name: 'Version 3: $100.00, first purchase' }).waitFor();
    expect((await awards()).find((r) => r[0] === 'Referrer: commission')?.[1]).toBe('750');
  });
});
