import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, TestApp } from './utils/test-app';
import { createTestUser, TestUser } from './utils/test-users';

describe('GET /api/admin/analytics', () => {
  let t: TestApp;
  let db: DataSource;
  let admin: TestUser;
  let user: TestUser;

  beforeAll(async () => {
    t = await createTestApp();
    db = t.app.get(DataSource);
    admin = await createTestUser(t.app, { role: 'admin' });
    user = await createTestUser(t.app);
    await seed();
  });
  afterAll(() => t?.close());

  const get = (query: string, who: TestUser | null = admin) => {
    const req = t.http.get(`/api/admin/analytics${query}`);
    return who ? req.set('Authorization', `Bearer ${who.token}`) : req;
  };

  /** A funnel in March 2025, far from everything else in this database (created now). */
  async function seed() {
    const at = (s: string) => `2025-03-${s}Z`;
    const mk = async (name: string, createdAt?: string) =>
      (
        await db.query(
          `INSERT INTO users (email, name, created_at) VALUES ($1::text, $2, COALESCE($3::timestamptz, now())) RETURNING id`,
          [`${name}@example.com`, name, createdAt ?? null],
        )
      )[0].id as string;
    const referrer = await mk('referrer');
    const a = await mk('a', at('01T08:00:00'));
    const b = await mk('b', at('01T23:59:59'));
    const c = await mk('c', at('03T10:00:00'));
    await mk('late', at('04T00:00:00'));
    for (const ts of [at('01T00:00:00'), at('01T10:00:00'), at('01T13:00:00'), at('02T12:00:00'), '2025-02-28T23:59:59Z', at('04T00:00:00')]) {
      await db.query(`INSERT INTO referral_clicks (referrer_id, code, created_at) VALUES ($1, 'CODE', $2)`, [referrer, ts]);
    }
    const referral = `INSERT INTO referrals (referrer_id, referee_id, code, status, created_at, converted_at) VALUES ($1, $2, 'CODE', $3, $4, $5)`;
    await db.query(referral, [referrer, a, 'converted', at('01T08:00:00'), at('02T09:00:00')]);
    await db.query(referral, [referrer, b, 'flagged', at('01T23:59:59'), null]);
    await db.query(referral, [referrer, c, 'rejected', at('03T10:00:00'), null]);
    const entry = `INSERT INTO point_transactions (user_id, type, amount, source, status, balance_after, created_at) VALUES ($1, $2, $3, $4, $5, 0, $6)`;
    await db.query(entry, [referrer, 'earn', 100, 'purchase', 'posted', at('02T09:00:00')]);
    await db.query(entry, [a, 'earn', 50, 'referral', 'pending', at('02T09:00:00')]);
    await db.query(entry, [b, 'earn', 30, 'referral', 'voided', at('02T09:00:00')]);
    await db.query(entry, [referrer, 'spend', -40, 'redeem', 'posted', at('03T11:00:00')]);
    await db.query(entry, [referrer, 'clawback', -20, 'purchase', 'posted', at('03T11:00:00')]);
  }

  it('answers 401 anonymous and 403 for non-admins', async () => {
    const anonymous = await get('', null);
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.code).toBe('UNAUTHORIZED');
    const forbidden = await get('', user);
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.code).toBe('FORBIDDEN');
  });

  it('counts the funnel over [from, to) with one row per UTC day', async () => {
    const res = await get('?from=2025-03-01T00:00:00Z&to=2025-03-04T00:00:00Z').expect(200);
    expect(res.body).toEqual({
      from: '2025-03-01T00:00:00.000Z',
      to: '2025-03-04T00:00:00.000Z',
      clicks: 4,
      signups: 3,
      referredSignups: 2,
      convertedReferrals: 1,
      conversionRate: 0.5,
      pointsAwarded: 150,
      pointsRedeemed: 40,
      flaggedReferrals: 1,
      byDay: [
        { date: '2025-03-01', clicks: 3, signups: 2, referredSignups: 2, convertedReferrals: 0, pointsAwarded: 0, pointsRedeemed: 0 },
        { date: '2025-03-02', clicks: 1, signups: 0, referredSignups: 0, convertedReferrals: 1, pointsAwarded: 150, pointsRedeemed: 0 },
        { date: '2025-03-03', clicks: 0, signups: 1, referredSignups: 0, convertedReferrals: 0, pointsAwarded: 0, pointsRedeemed: 40 },
      ],
    });
  });

  it('cuts partial days at the exact bounds and reports a zero rate with no referred sign-ups', async () => {
    const res = await get('?from=2025-03-01T12:00:00Z&to=2025-03-01T23:00:00Z').expect(200);
    expect(res.body).toMatchObject({ clicks: 1, signups: 0, referredSignups: 0, conversionRate: 0 });
    expect(res.body.byDay.map((d: { date: string }) => d.date)).toEqual(['2025-03-01']);
    const empty = await get('?from=2025-03-02T00:00:00Z&to=2025-03-02T00:00:00Z').expect(200);
    expect(empty.body).toMatchObject({ clicks: 0, byDay: [] });
  });

  it('defaults to the last 30 days up to now', async () => {
    const res = await get('').expect(200);
    const span = Date.parse(res.body.to) - Date.parse(res.body.from);
    expect(span).toBe(30 * 86_400_000);
    expect(Math.abs(Date.parse(res.body.to) - Date.now())).toBeLessThan(60_000);
    expect(res.body.byDay.length).toBeGreaterThanOrEqual(30);
    expect(res.body.signups).toBeGreaterThanOrEqual(3);
  });

  it.each([
    ['from after to', '?from=2025-03-02T00:00:00Z&to=2025-03-01T00:00:00Z'],
    ['a range over 366 days', '?from=2024-01-01T00:00:00Z&to=2025-01-02T00:00:01Z'],
    ['a date that is not ISO 8601', '?from=yesterday'],
    ['an ordinal date Date cannot read', '?from=2026-123'],
    ['an impossible date', '?to=2025-02-30T00:00:00Z'],
    ['an unknown parameter', '?days=7'],
    ['a too long value', `?from=${'2'.repeat(50)}`],
  ])('answers %s with 400 VALIDATION_FAILED', async (_label, query) => {
    const res = await get(query);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
  });
});
