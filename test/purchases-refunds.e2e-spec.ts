import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkLedger } from '../src/points/ledger-check';
import { PointsService } from '../src/points/points.service';
import { PurchaseRewardsService } from '../src/purchases/purchase-rewards.service';
import { balances, jobsIdle, orderEntries, referralChain, signedPost } from './utils/purchase-webhooks';
import { until } from './utils/wait';
import { createTestApp, TestApp } from './utils/test-app';
import { USER_REFERRAL_STATS } from './utils/referral-stats';

describe('purchase refunds', () => {
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
  const refund = (orderId: string, amount?: number) => signedPost(t.http, '/api/purchases/refunded', amount === undefined ? { orderId } : { orderId, amount });
  const purchaseRow = async (orderId: string) =>
    (await db.query(`SELECT status, refunded_amount::int AS refunded FROM purchases WHERE order_id = $1`, [orderId]))[0];
  const userStats = async (id: string) =>
    (await db.query(`SELECT active_referrals, converted_referrals, total_earned::int AS total_earned FROM ${USER_REFERRAL_STATS} WHERE id = $1`, [id]))[0];

  describe('POST /api/purchases/refunded errors', () => {
    it('answers an unknown order with 404 ORDER_NOT_FOUND', async () => {
      const res = await refund(`o-${randomUUID()}`);
      expect(res.status).toBe(404);
      expect(res.body.code).toBe('ORDER_NOT_FOUND');
    });

    it('answers a malformed body with 400 and a refunded total above the order with 422 INVALID_REFUND_AMOUNT', async () => {
      const { buyer } = await referralChain(t.app);
      const orderId = await complete(buyer.id, 1_000);
      for (const body of [{}, { orderId, amount: 0 }, { orderId, amount: 1.5 }, { orderId, amount: -5 }, { orderId, reason: 'x' }, { orderId: 'x'.repeat(256) }]) {
        const res = await signedPost(t.http, '/api/purchases/refunded', body);
        expect(res.status, JSON.stringify(body)).toBe(400);
        expect(res.body.code).toBe('VALIDATION_FAILED');
      }
      const over = await refund(orderId, 1_001);
      expect(over.status).toBe(422);
      expect(over.body.code).toBe('INVALID_REFUND_AMOUNT');
      expect(await purchaseRow(orderId)).toEqual({ status: 'completed', refunded: 0 });
    });
  });

  describe('a full refund after the points were spent', () => {
    it('claws back every level, leaves available at zero with the rest as debt, and later earnings settle it', async () => {
      const { top, referrer, buyer } = await referralChain(t.app);
      const orderId = await complete(buyer.id, 10_000);
      expect(await balances(t.app, referrer.id)).toMatchObject({ total: 600, available: 600 });
      await t.app.get(PointsService).spend({ userId: referrer.id, amount: 550, source: 'admin', metadata: {}, idempotencyKey: `spend-${randomUUID()}` });

      const res = await refund(orderId).expect(202);
      expect(res.body).toEqual({ status: 'accepted', duplicate: false });
      await until(() => balances(t.app, top.id), (b) => b.total === 0);
      await jobsIdle(t.app);
      expect(await purchaseRow(orderId)).toEqual({ status: 'refunded', refunded: 10_000 });
      expect(await balances(t.app, referrer.id)).toEqual({ total: 0, available: 0, pending: 0, debt: 550 });
      expect(await balances(t.app, buyer.id)).toEqual({ total: 0, available: 0, pending: 0, debt: 0 });
      expect(await balances(t.app, top.id)).toEqual({ total: 0, available: 0, pending: 0, debt: 0 });
      const clawbacks = (await orderEntries(t.app, orderId)).filter((e) => e.type === 'clawback');
      expect(clawbacks.map((e) => e.amount).sort((a, b) => a - b)).toEqual([-500, -100, -100, -100]);
      expect(clawbacks.every((e) => e.idempotency_key.startsWith('refund:') && e.status === 'posted')).toBe(true);
      expect(await userStats(referrer.id)).toEqual({ active_referrals: 0, converted_referrals: 1, total_earned: 0 });
      expect(await checkLedger(db)).toEqual([]);

      const again = await refund(orderId).expect(202);
      expect(again.body.duplicate).toBe(true);

      // The referral stays converted: a later purchase earns commission only, which settles the debt first.
      await complete(buyer.id, 20_000);
      expect(await balances(t.app, referrer.id)).toEqual({ total: 1_000, available: 450, pending: 0, debt: 0 });
      expect(await userStats(referrer.id)).toEqual({ active_referrals: 1, converted_referrals: 1, total_earned: 1_000 });
      expect(await checkLedger(db)).toEqual([]);
    });
  });

  describe('partial refunds', () => {
    it('claw back bonuses and commissions in proportion to the refunded total, each step once', async () => {
      const { top, referrer, buyer } = await referralChain(t.app);
      const orderId = await complete(buyer.id, 10_000);
      await refund(orderId, 2_500).expect(202);
      await until(() => balances(t.app, top.id), (b) => b.total === 75);
      await jobsIdle(t.app);
      expect(await purchaseRow(orderId)).toEqual({ status: 'partially_refunded', refunded: 2_500 });
      expect((await balances(t.app, referrer.id)).total).toBe(600 - 25 - 125);
      expect((await balances(t.app, buyer.id)).total).toBe(100 - 25);

      const repeat = await refund(orderId, 2_500).expect(202);
      expect(repeat.body.duplicate).toBe(true);
      const stale = await refund(orderId, 1_000).expect(202);
      expect(stale.body.duplicate).toBe(true);

      await refund(orderId, 5_001).expect(202);
      await until(() => balances(t.app, top.id), (b) => b.total === 50);
      await jobsIdle(t.app);
      // floor(award × 5001 / 10000) in all: 50 of each bonus, 250 of the level-1 commission, 50 of level 2
      expect((await balances(t.app, referrer.id)).total).toBe(600 - 50 - 250);
      expect((await balances(t.app, buyer.id)).total).toBe(50);

      await refund(orderId).expect(202);
      await until(() => balances(t.app, top.id), (b) => b.total === 0);
      await jobsIdle(t.app);
      expect(await balances(t.app, referrer.id)).toMatchObject({ total: 0, available: 0, debt: 0 });
      expect((await balances(t.app, buyer.id)).total).toBe(0);
      const entries = await orderEntries(t.app, orderId);
      expect(new Set(entries.map((e) => e.idempotency_key)).size).toBe(entries.length);
      expect(entries.filter((e) => e.type === 'clawback')).toHaveLength(4 * 3);
      expect(await checkLedger(db)).toEqual([]);
    });
  });

  describe('a refund recorded before the reward job ran', () => {
    async function insertPurchase(userId: string, amount: number, refunded: number) {
      const status = refunded === 0 ? 'completed' : refunded === amount ? 'refunded' : 'partially_refunded';
      const [row] = await db.query(
        `INSERT INTO purchases (order_id, user_id, amount, currency, completed_at, status, refunded_amount)
         VALUES ($1, $2, $3, 'USD', now(), $4, $5) RETURNING id, order_id`,
        [`o-${randomUUID()}`, userId, amount, status, refunded],
      );
      return row as { id: string; order_id: string };
    }

    it('awards nothing and converts nothing for an order already fully refunded', async () => {
      const { referrer, buyer, referral } = await referralChain(t.app);
      const p = await insertPurchase(buyer.id, 10_000, 10_000);
      await t.app.get(PurchaseRewardsService).reward(p.id);
      expect(await orderEntries(t.app, p.order_id)).toEqual([]);
      expect((await balances(t.app, referrer.id)).total).toBe(0);
      const [r] = await db.query(`SELECT status FROM referrals WHERE id = $1`, [referral]);
      expect(r.status).toBe('pending');
    });

    it('awards and then claws back the refunded share of an order already partly refunded', async () => {
      const { top, referrer, buyer } = await referralChain(t.app);
      const p = await insertPurchase(buyer.id, 10_000, 5_000);
      await t.app.get(PurchaseRewardsService).reward(p.id);
      expect((await balances(t.app, referrer.id)).total).toBe(50 + 250);
      expect((await balances(t.app, top.id)).total).toBe(50);
      expect((await balances(t.app, buyer.id)).total).toBe(50);
      // Running the job again (a retry) changes nothing.
      await t.app.get(PurchaseRewardsService).reward(p.id);
      expect((await balances(t.app, referrer.id)).total).toBe(300);
      expect(await checkLedger(db)).toEqual([]);
    });
  });
});
