import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkLedger } from '../src/points/ledger-check';
import { PointsService } from '../src/points/points.service';
import { balances, jobsIdle, orderEntries, referralChain, signedPost } from './utils/purchase-webhooks';
import { until } from './utils/wait';
import { createTestApp, TestApp } from './utils/test-app';
import { createTestUser, TestUser } from './utils/test-users';
import { USER_REFERRAL_STATS } from './utils/referral-stats';

describe('flagged referrals hold their rewards until an admin reviews them', () => {
  let t: TestApp;
  let db: DataSource;
  let admin: TestUser;

  beforeAll(async () => {
    t = await createTestApp();
    db = t.app.get(DataSource);
    admin = await createTestUser(t.app, { role: 'admin' });
  });
  afterAll(() => t?.close());

  const complete = async (userId: string, amount: number) => {
    const body = { orderId: `o-${randomUUID()}`, userId, amount, currency: 'USD' };
    await signedPost(t.http, '/api/purchases/completed', body).expect(202);
    await until(async () => (await orderEntries(t.app, body.orderId)).length, (n) => n > 0);
    await jobsIdle(t.app);
    return body.orderId;
  };
  const review = (id: string, decision: 'approve' | 'reject', token = admin.token) =>
    t.http.post(`/api/admin/referrals/${id}/${decision}`).set('Authorization', `Bearer ${token}`);
  const spend = (userId: string, amount: number) => t.app.get(PointsService).spend({ userId, amount, source: 'admin', metadata: {}, idempotencyKey: `spend-${randomUUID()}` });

  it('writes a flagged referral’s awards as pending, not spendable, and releases them on approval', async () => {
    const { top, referrer, buyer, referral } = await referralChain(t.app, { referrer: 'flagged' });
    await complete(buyer.id, 10_000);
    expect(await balances(t.app, referrer.id)).toEqual({ total: 0, available: 0, pending: 600, debt: 0 });
    expect(await balances(t.app, buyer.id)).toEqual({ total: 0, available: 0, pending: 100, debt: 0 });
    expect(await balances(t.app, top.id)).toEqual({ total: 0, available: 0, pending: 100, debt: 0 });
    await expect(spend(referrer.id, 1)).rejects.toMatchObject({ code: 'INSUFFICIENT_POINTS' });
    const redeem = await t.http.post('/api/points/redeem').set('Authorization', `Bearer ${referrer.token}`).send({ amount: 100, reward: 'service-credit' });
    expect(redeem.status).toBe(409);

    const [r] = await db.query(`SELECT status, converted_at FROM referrals WHERE id = $1`, [referral]);
    expect(r.status).toBe('flagged');
    expect(r.converted_at).not.toBeNull();

    const queue = await t.http.get('/api/admin/referrals?status=flagged').set('Authorization', `Bearer ${admin.token}`).expect(200);
    const item = queue.body.items.find((i: { id: string }) => i.id === referral);
    expect(item).toMatchObject({ status: 'flagged', reasons: ['SAME_IP'], heldPoints: 800, referee: { id: buyer.id }, referrer: { id: referrer.id } });

    const approved = await review(referral, 'approve').expect(200);
    expect(approved.body).toMatchObject({ id: referral, status: 'converted', heldPoints: 0 });
    expect(approved.body.reviewedAt).not.toBeNull();
    expect(await balances(t.app, referrer.id)).toEqual({ total: 600, available: 600, pending: 0, debt: 0 });
    expect(await balances(t.app, buyer.id)).toEqual({ total: 100, available: 100, pending: 0, debt: 0 });
    expect(await balances(t.app, top.id)).toEqual({ total: 100, available: 100, pending: 0, debt: 0 });
    const [stats] = await db.query(`SELECT converted_referrals, total_earned::int AS total_earned FROM ${USER_REFERRAL_STATS} WHERE id = $1`, [referrer.id]);
    expect(stats).toEqual({ converted_referrals: 1, total_earned: 600 });
    await spend(referrer.id, 600);

    const twice = await review(referral, 'approve');
    expect(twice.status).toBe(409);
    expect(twice.body.code).toBe('REFERRAL_NOT_FLAGGED');
    expect(await checkLedger(db)).toEqual([]);
  });

  it('voids a rejected referral’s awards so they never become spendable', async () => {
    const { top, referrer, buyer, referral } = await referralChain(t.app, { referrer: 'flagged' });
    const orderId = await complete(buyer.id, 10_000);
    await jobsIdle(t.app);
    const [before] = await db.query(`SELECT total_referrals, converted_referrals, active_referrals FROM ${USER_REFERRAL_STATS} WHERE id = $1`, [referrer.id]);
    expect(before.active_referrals).toBe(1);
    const rejected = await review(referral, 'reject').expect(200);
    expect(rejected.body).toMatchObject({ status: 'rejected', heldPoints: 0 });
    for (const u of [referrer, buyer, top]) expect(await balances(t.app, u.id)).toEqual({ total: 0, available: 0, pending: 0, debt: 0 });
    expect((await orderEntries(t.app, orderId)).map((e) => e.status)).toEqual(['voided', 'voided', 'voided', 'voided']);
    await jobsIdle(t.app);
    const [after] = await db.query(`SELECT total_referrals, converted_referrals, active_referrals FROM ${USER_REFERRAL_STATS} WHERE id = $1`, [referrer.id]);
    expect(after).toEqual({
      total_referrals: before.total_referrals - 1,
      converted_referrals: before.converted_referrals - 1,
      active_referrals: 0,
    });

    // Later purchases of a rejected referral earn nothing; a refund of the voided order changes nothing.
    const later = { orderId: `o-${randomUUID()}`, userId: buyer.id, amount: 5_000, currency: 'USD' };
    await signedPost(t.http, '/api/purchases/completed', later).expect(202);
    await jobsIdle(t.app);
    expect(await orderEntries(t.app, later.orderId)).toEqual([]);
    await signedPost(t.http, '/api/purchases/refunded', { orderId }).expect(202);
    await jobsIdle(t.app);
    expect(await balances(t.app, referrer.id)).toEqual({ total: 0, available: 0, pending: 0, debt: 0 });
    expect(await checkLedger(db)).toEqual([]);
  });

  it('holds a second-level award while the upper referral is flagged, even when the buyer’s own is not', async () => {
    const { top, referrer, buyer, topReferral } = await referralChain(t.app, { top: 'flagged' });
    await complete(buyer.id, 10_000);
    expect(await balances(t.app, referrer.id)).toMatchObject({ available: 600, pending: 0 });
    expect(await balances(t.app, top.id)).toMatchObject({ available: 0, pending: 100 });
    await review(topReferral, 'approve').expect(200);
    expect(await balances(t.app, top.id)).toMatchObject({ available: 100, pending: 0, total: 100 });
  });

  it('voids held awards of a fully refunded order instead of releasing them on approval', async () => {
    const { referrer, buyer, referral } = await referralChain(t.app, { referrer: 'flagged' });
    const orderId = await complete(buyer.id, 10_000);
    await signedPost(t.http, '/api/purchases/refunded', { orderId }).expect(202);
    await until(() => balances(t.app, referrer.id), (b) => b.pending === 0);
    await jobsIdle(t.app);
    await review(referral, 'approve').expect(200);
    expect(await balances(t.app, referrer.id)).toEqual({ total: 0, available: 0, pending: 0, debt: 0 });
    expect(await checkLedger(db)).toEqual([]);
  });

  it('applies a partial refund of a held order when its awards are released', async () => {
    const { referrer, buyer, referral } = await referralChain(t.app, { referrer: 'flagged' });
    const orderId = await complete(buyer.id, 10_000);
    await signedPost(t.http, '/api/purchases/refunded', { orderId, amount: 4_000 }).expect(202);
    await jobsIdle(t.app);
    expect(await balances(t.app, referrer.id)).toMatchObject({ pending: 600, available: 0 });
    await review(referral, 'approve').expect(200);
    // 40% of the bonus (40) and of the commission (200) go back with the release.
    expect(await balances(t.app, referrer.id)).toEqual({ total: 600 - 40 - 200, available: 360, pending: 0, debt: 0 });
    expect((await balances(t.app, buyer.id)).total).toBe(100 - 40);
    expect(await checkLedger(db)).toEqual([]);
  });
});
