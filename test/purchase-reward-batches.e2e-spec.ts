import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkLedger } from '../src/points/ledger-check';
import { PurchaseRewardsService } from '../src/purchases/purchase-rewards.service';
import { refer } from './utils/purchase-webhooks';
import { createTestApp, TestApp } from './utils/test-app';
import { createTestUser } from './utils/test-users';

/**
 * Two identical worlds, each with a hot referrer at the top of every chain: one rewarded by
 * rewardMany (the batch), the other purchase by purchase. Purchases are inserted without jobs, so
 * only the calls of the test reward them.
 */
describe('purchase reward batches', () => {
  let t: TestApp;
  let db: DataSource;
  let rewards: PurchaseRewardsService;

  beforeAll(async () => {
    t = await createTestApp();
    db = t.app.get(DataSource);
    rewards = t.app.get(PurchaseRewardsService);
  });
  afterAll(async () => {
    await t?.close();
  });

  async function world(chains: number) {
    const labels = new Map<string, string>();
    const hot = await createTestUser(t.app, { name: 'Hot Top' });
    labels.set(hot.id, 'hot');
    const purchases: string[] = [];
    const referrers: string[] = [];
    for (let i = 0; i < chains; i++) {
      const referrer = await createTestUser(t.app, { name: `Ref ${i}` });
      const buyer = await createTestUser(t.app, { name: `Buyer ${i}` });
      labels.set(referrer.id, `r${i}`);
      labels.set(buyer.id, `b${i}`);
      await refer(t.app, hot, referrer);
      await refer(t.app, referrer, buyer);
      const [row] = await db.query(
        `INSERT INTO purchases (order_id, user_id, amount, currency, completed_at) VALUES ($1, $2, $3, 'USD', now()) RETURNING id`,
        [`o-${randomUUID()}`, buyer.id, 10_000 + i * 100],
      );
      labels.set(row.id, `p${i}`);
      purchases.push(row.id);
      referrers.push(referrer.id);
    }
    // The second purchase was refunded before its job ran; the third's referrer has closed their account.
    await db.query(`UPDATE purchases SET status = 'refunded', refunded_amount = amount WHERE id = $1`, [purchases[1]]);
    await db.query(`UPDATE users SET deleted_at = now() WHERE id = $1`, [referrers[2]]);
    // The first buyer buys twice in the batch (only the first converts); the fourth converted before it.
    const buyerOf = async (purchaseId: string) => (await db.query(`SELECT user_id FROM purchases WHERE id = $1`, [purchaseId]))[0].user_id;
    const buy = async (label: string, userId: string) => {
      const [row] = await db.query(
        `INSERT INTO purchases (order_id, user_id, amount, currency, completed_at) VALUES ($1, $2, 7000, 'USD', now()) RETURNING id`,
        [`o-${randomUUID()}`, userId],
      );
      labels.set(row.id, label);
      return row.id as string;
    };
    purchases.push(await buy('p0-again', await buyerOf(purchases[0])));
    await rewards.reward(await buy('p3-before', await buyerOf(purchases[3])));
    return { hot, purchases, labels };
  }

  async function snapshot(labels: Map<string, string>) {
    const ids = [...labels.keys()];
    const name = (id: string) => labels.get(id) ?? id;
    const ledger = (await db.query(
      `SELECT user_id, type, amount::int AS amount, status, source, metadata->>'purchaseId' AS purchase FROM point_transactions WHERE user_id = ANY($1::uuid[])`,
      [ids],
    )).map((r: any) => `${name(r.user_id)} ${r.type} ${r.amount} ${r.status} ${r.source} ${name(r.purchase)}`).sort();
    const awards = (await db.query(
      `SELECT purchase_id, user_id, role, level, amount, state FROM purchase_awards WHERE user_id = ANY($1::uuid[])`,
      [ids],
    )).map((r: any) => `${name(r.purchase_id)} ${name(r.user_id)} ${r.role} ${r.level} ${r.amount} ${r.state}`).sort();
    const stats = (await db.query(
      `SELECT user_id, total_referrals, converted_referrals, total_earned::int AS earned FROM referral_stats WHERE user_id = ANY($1::uuid[])`,
      [ids],
    )).map((r: any) => `${name(r.user_id)} ${r.total_referrals} ${r.converted_referrals} ${r.earned}`).sort();
    const balances = (await db.query(
      `SELECT user_id, total::int, available::int, pending::int, debt::int FROM point_balances WHERE user_id = ANY($1::uuid[])`,
      [ids],
    )).map((r: any) => `${name(r.user_id)} ${r.total} ${r.available} ${r.pending} ${r.debt}`).sort();
    const events = (await db.query(
      `SELECT type, data FROM webhook_events WHERE data->>'userId' = ANY($1::text[]) OR data->>'referrerId' = ANY($1::text[])`,
      [ids],
    )).map((r: any) => `${r.type} ${name(r.data.userId ?? r.data.referrerId)} ${r.data.amount ?? ''} ${name(r.data.purchaseId ?? '')}`).sort();
    const notifications = (await db.query(
      `SELECT user_id, type, message FROM notifications WHERE user_id = ANY($1::uuid[])`,
      [ids],
    )).map((r: any) => `${name(r.user_id)} ${r.type} ${r.message}`).sort();
    const referrals = (await db.query(
      `SELECT referee_id, status, converted_purchase_id FROM referrals WHERE referee_id = ANY($1::uuid[])`,
      [ids],
    )).map((r: any) => `${name(r.referee_id)} ${r.status} ${name(r.converted_purchase_id ?? '-')}`).sort();
    const recounts = (await db.query(
      `SELECT DISTINCT data->>'referrerId' AS id FROM pgboss.job WHERE name = 'referrals-active-refresh-referrer' AND data->>'referrerId' = ANY($1::text[])`,
      [ids],
    )).map((r: any) => name(r.id)).sort();
    return { ledger, awards, stats, balances, events, notifications, referrals, recounts };
  }

  it('writes what the one-by-one path writes, skips the refunded and the closed, and changes nothing when run again', async () => {
    const batched = await world(5);
    const single = await world(5);
    // A duplicate id in the batch (pg-boss may hand the same purchase twice).
    await rewards.rewardMany([...batched.purchases, batched.purchases[0]]);
    for (const id of single.purchases) await rewards.reward(id);

    const a = await snapshot(batched.labels);
    const b = await snapshot(single.labels);
    expect(a).toEqual(b);
    expect(a.awards.some((l: string) => l.startsWith('p1 '))).toBe(false);
    expect(a.awards.filter((l: string) => l.includes(' hot ')).length).toBeGreaterThan(0);
    expect(a.referrals).toContain('b0 converted p0');
    expect(a.referrals).toContain('b3 converted p3-before');
    expect(a.notifications.filter((l: string) => l.startsWith('r0 referral-converted'))).toHaveLength(1);
    expect(a.recounts).toEqual(expect.arrayContaining(['r0', 'r3', 'r4']));

    await rewards.rewardMany(batched.purchases);
    expect(await snapshot(batched.labels)).toEqual(a);
    expect(await checkLedger(db)).toEqual([]);
  });
});
