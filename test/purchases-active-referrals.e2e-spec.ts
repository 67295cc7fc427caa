import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReferralConversionService } from '../src/referrals/referral-conversion.service';
import { jobsIdle, refer, signedPost } from './utils/purchase-webhooks';
import { createTestApp, TestApp } from './utils/test-app';
import { createTestUser } from './utils/test-users';
import { USER_REFERRAL_STATS } from './utils/referral-stats';

describe('active referrals: referees with a completed purchase in the last 30 days', () => {
  let t: TestApp;
  let db: DataSource;

  beforeAll(async () => {
    t = await createTestApp();
    db = t.app.get(DataSource);
  });
  afterAll(() => t?.close());

  const active = async (id: string) => (await db.query(`SELECT active_referrals FROM ${USER_REFERRAL_STATS} WHERE id = $1`, [id]))[0].active_referrals as number;
  const buy = async (userId: string, completedAt: Date) => {
    const body = { orderId: `o-${randomUUID()}`, userId, amount: 1_000, currency: 'USD', completedAt: completedAt.toISOString() };
    await signedPost(t.http, '/api/purchases/completed', body).expect(202);
    await jobsIdle(t.app);
    return body.orderId;
  };
  const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000);

  it('is recomputed on purchases and refunds, and the daily pass drops referees whose purchases aged out', async () => {
    const referrer = await createTestUser(t.app);
    const [recent, old, idle] = [await createTestUser(t.app), await createTestUser(t.app), await createTestUser(t.app)];
    for (const referee of [recent, old, idle]) await refer(t.app, referrer, referee);

    const recentOrder = await buy(recent.id, daysAgo(1));
    expect(await active(referrer.id)).toBe(1);
    await buy(old.id, daysAgo(40));
    expect(await active(referrer.id)).toBe(1);
    const secondRecent = await buy(old.id, daysAgo(2));
    expect(await active(referrer.id)).toBe(2);

    await signedPost(t.http, '/api/purchases/refunded', { orderId: secondRecent }).expect(202);
    await jobsIdle(t.app);
    expect(await active(referrer.id)).toBe(1);

    // Thirty days later the remaining purchase has aged out: only the daily pass notices.
    await db.query(`UPDATE purchases SET completed_at = now() - interval '31 days' WHERE order_id = $1`, [recentOrder]);
    expect(await active(referrer.id)).toBe(1);
    expect(await t.app.get(ReferralConversionService).refreshAllActive()).toBeGreaterThanOrEqual(1);
    expect(await active(referrer.id)).toBe(0);
    expect(await t.app.get(ReferralConversionService).refreshAllActive()).toBe(0);
  });

  it('is scheduled daily through pg-boss', async () => {
    const [row] = await db.query(`SELECT cron FROM pgboss.schedule WHERE name = 'referrals-active-refresh'`);
    expect(row.cron).toBe('10 0 * * *');
  });
});
