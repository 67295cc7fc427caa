import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkLedger } from '../src/points/ledger-check';
import { jobsIdle, orderEntries, referralChain, signedPost } from './utils/purchase-webhooks';
import { USER_REFERRAL_STATS } from './utils/referral-stats';
import { createTestApp, TestApp } from './utils/test-app';
import { until } from './utils/wait';

/**
 * referral_stats.total_earned is kept by the purchases module's calls as awards are posted and
 * clawed back, and the rank counts by referral_stats' trigger as account closure marks the row
 * closed: both must agree with their definitions at every step.
 */
describe('referral_stats through awards, refunds and account closure', () => {
  let t: TestApp;
  let db: DataSource;

  beforeAll(async () => {
    t = await createTestApp();
    db = t.app.get(DataSource);
  });
  afterAll(() => t?.close());

  const complete = async (userId: string, amount: number) => {
    const body = { orderId: `o-${randomUUID()}`, userId, amount, currency: 'USD' };
    await signedPost(t.http, '/api/purchases/completed', body).expect(202);
    await until(async () => (await orderEntries(t.app, body.orderId)).length, (n) => n > 0);
    await jobsIdle(t.app);
    return body.orderId;
  };
  const refund = async (orderId: string, amount?: number) => {
    await signedPost(t.http, '/api/purchases/refunded', amount === undefined ? { orderId } : { orderId, amount }).expect(202);
    await jobsIdle(t.app);
  };
  const earned = async (id: string) => {
    const [row] = await db.query(
      `SELECT total_earned::int AS stored, (SELECT COALESCE(sum(e.earned), 0)::int FROM referral_earnings e WHERE e.user_id = $1) AS defined
         FROM ${USER_REFERRAL_STATS} WHERE id = $1`,
      [id],
    );
    expect(row.stored, 'total_earned and referral_earnings').toBe(row.defined);
    return row.stored as number;
  };
  const rankCounts = async () =>
    (await db.query(`SELECT total_referrals, users::int AS users FROM referral_rank_counts WHERE users > 0 ORDER BY 1`)) as unknown[];
  const rankCountsFromUsers = async () =>
    (await db.query(
      `SELECT s.total_referrals, count(*)::int AS users FROM referral_stats s JOIN users u ON u.id = s.user_id
        WHERE u.deleted_at IS NULL AND s.total_referrals > 0 GROUP BY 1 ORDER BY 1`,
    )) as unknown[];

  it('follows bonuses and commissions as they are posted and clawed back, and not the referee bonus', async () => {
    const { top, referrer, buyer } = await referralChain(t.app);
    const order = await complete(buyer.id, 10_000);
    expect([await earned(referrer.id), await earned(top.id), await earned(buyer.id)]).toEqual([600, 100, 0]);
    await refund(order, 2_500);
    expect([await earned(referrer.id), await earned(top.id)]).toEqual([450, 75]);
    await refund(order, 2_500);
    expect([await earned(referrer.id), await earned(top.id)]).toEqual([450, 75]);
    await refund(order);
    expect([await earned(referrer.id), await earned(top.id)]).toEqual([0, 0]);
    expect(await checkLedger(db)).toEqual([]);
  });

  it('takes a closed account out of the rank counts and the board, and still claws back what it earned', async () => {
    const { top, referrer, buyer } = await referralChain(t.app);
    const order = await complete(buyer.id, 10_000);
    expect(await earned(referrer.id)).toBe(600);
    const before = await rankCounts();
    expect(before).toEqual(await rankCountsFromUsers());

    await t.http.delete('/api/auth/me').set('Authorization', `Bearer ${referrer.token}`).expect(204);
    const after = await rankCounts();
    expect(after).toEqual(await rankCountsFromUsers());
    expect(after).not.toEqual(before);
    const [stats] = await db.query(`SELECT closed, total_referrals FROM referral_stats WHERE user_id = $1`, [referrer.id]);
    expect(stats).toEqual({ closed: true, total_referrals: 1 });
    const board = (await t.http.get('/api/points/leaderboard?limit=100').expect(200)).body.items.map((r: { userId: string }) => r.userId);
    expect(board).not.toContain(referrer.id);
    expect(board).toContain(top.id);

    await refund(order);
    expect(await earned(referrer.id)).toBe(0);
    expect(await earned(top.id)).toBe(0);
    expect(await rankCounts()).toEqual(await rankCountsFromUsers());
    expect(await checkLedger(db)).toEqual([]);
  });
});
