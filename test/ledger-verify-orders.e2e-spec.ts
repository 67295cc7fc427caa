import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkLedger } from '../src/points/ledger-check';
import { PointsService } from '../src/points/points.service';
import { balances, jobsIdle, orderEntries, referralChain, signedPost } from './utils/purchase-webhooks';
import { runNode } from './utils/run-node';
import { createTestApp, TestApp } from './utils/test-app';
import { until } from './utils/wait';

/** `ledger:verify` and the per-order rules: each violation is written into a real database and named by the real CLI. */
describe('ledger:verify per-order rules', () => {
  let t: TestApp;
  let db: DataSource;
  let points: PointsService;

  beforeAll(async () => {
    t = await createTestApp();
    db = t.app.get(DataSource);
    points = t.app.get(PointsService);
  });
  afterAll(() => t?.close());

  const cli = () => runNode('cli/main.js', ['ledger:verify'], { DATABASE_URL: process.env.DATABASE_URL! });
  const complete = async (userId: string, amount: number) => {
    const body = { orderId: `o-${randomUUID()}`, userId, amount, currency: 'USD' };
    await signedPost(t.http, '/api/purchases/completed', body).expect(202);
    await until(async () => (await orderEntries(t.app, body.orderId)).length, (n) => n > 0);
    await jobsIdle(t.app);
    const [{ id }] = await db.query(`SELECT id FROM purchases WHERE order_id = $1`, [body.orderId]);
    return { orderId: body.orderId, id: id as string };
  };
  const refund = async (orderId: string, amount?: number) => {
    await signedPost(t.http, '/api/purchases/refunded', amount === undefined ? { orderId } : { orderId, amount }).expect(202);
    await jobsIdle(t.app);
  };
  /** A clawback shaped like the settlement's, outside it: its ledger entry, linked to the award when that exists. */
  const clawback = async (userId: string, awardKey: string, amount: number) => {
    const [, purchaseId, role, level] = awardKey.split(':');
    const result = await points.clawback({ userId, amount, source: 'purchase', metadata: { purchaseId, awardKey, role, level: Number(level) }, idempotencyKey: `refund:${purchaseId}:${role}:${level}:test-${randomUUID()}` });
    const [award] = await db.query(
      `SELECT a.id FROM purchase_awards a JOIN point_transactions t ON t.id = a.ledger_entry_id WHERE t.idempotency_key = $1`,
      [awardKey],
    );
    if (award) {
      await db.query(`INSERT INTO purchase_award_clawbacks (ledger_entry_id, award_id, amount, refunded_total) VALUES ($1, $2, $3, 0)`, [
        result.transaction.id, award.id, amount,
      ]);
      await db.query(`UPDATE purchase_awards SET clawed_back = clawed_back + $2 WHERE id = $1`, [award.id, amount]);
      if (role !== 'referee') await db.query(`UPDATE referral_stats SET total_earned = total_earned - $2 WHERE user_id = $1`, [userId, amount]);
    }
    return result;
  };

  it('passes on settled orders and real redeems, then names every broken per-order rule and exits 1', async () => {
    const { top, referrer, buyer } = await referralChain(t.app);
    const full = await complete(buyer.id, 10_000);
    await refund(full.orderId);
    const partial = await complete(buyer.id, 10_000);
    await refund(partial.orderId, 2_500);
    expect(await balances(t.app, referrer.id)).toMatchObject({ available: 375 });
    const redeem = await t.http.post('/api/points/redeem').set('Authorization', `Bearer ${referrer.token}`).send({ amount: 100, reward: 'service-credit' });
    expect(redeem.status, JSON.stringify(redeem.body)).toBe(201);

    const clean = await cli();
    expect(clean.code, clean.stdout + clean.stderr).toBe(0);
    expect(clean.stdout).toContain('ledger ok');

    // 1. A fully refunded order whose clawbacks never ran.
    const unsettled = await complete(buyer.id, 1_000);
    await db.query(`UPDATE purchases SET refunded_amount = amount, status = 'refunded' WHERE id = $1`, [unsettled.id]);
    // 2. A fully refunded order with an award still held instead of voided.
    const [held] = await db.query(
      `INSERT INTO purchases (order_id, user_id, amount, currency, completed_at, status, refunded_amount)
       VALUES ($1, $2, 1000, 'USD', now(), 'refunded', 1000) RETURNING id, order_id`,
      [`o-${randomUUID()}`, top.id],
    );
    const heldKey = `purchase:${held.id}:referee:0`;
    const heldEntry = await points.addPoints({ userId: top.id, amount: 100, source: 'referral', metadata: { purchaseId: held.id, orderId: held.order_id, role: 'referee', level: 0 }, idempotencyKey: heldKey, hold: true });
    await db.query(
      `INSERT INTO purchase_awards (purchase_id, user_id, role, level, ledger_entry_id, amount, state) VALUES ($1, $2, 'referee', 0, $3, 100, 'held')`,
      [held.id, top.id, heldEntry.transaction.id],
    );
    // 3. A clawback beyond its award, 4. beyond the refunded share, 5. of an award that does not exist.
    await clawback(buyer.id, `purchase:${full.id}:referee:0`, 1);
    await clawback(referrer.id, `purchase:${partial.id}:commission:1`, 1);
    const ghost = `purchase:${randomUUID()}:referee:0`;
    const orphan = await clawback(top.id, ghost, 1);
    // 6. An award of an order that does not exist (so nothing links it to one).
    const nowhere = randomUUID();
    await points.addPoints({ userId: top.id, amount: 3, source: 'referral', metadata: { purchaseId: nowhere, role: 'referee', level: 0 }, idempotencyKey: `purchase:${nowhere}:referee:0` });
    // 7. Points spent on a reward that was never recorded.
    const spend = await points.spend({ userId: referrer.id, amount: 5, source: 'redeem', metadata: {}, idempotencyKey: `test:${randomUUID()}` });

    const problems = (await checkLedger(db)).map((p) => `${p.userId}: ${p.problem}`);
    const expected = [
      // A later purchase of the same referee: commissions only.
      ...['commission:1', 'commission:2'].map((role) => `order ${unsettled.orderId}: award purchase:${unsettled.id}:${role}`),
      `${top.id}: order ${held.order_id}: award ${heldKey} (pending 100) of a fully refunded order is still pending, not voided`,
      `${buyer.id}: order ${full.orderId}: award purchase:${full.id}:referee:0 (posted 100) is clawed back by more than the award`,
      `${referrer.id}: order ${partial.orderId}: award purchase:${partial.id}:commission:1 (posted 500) is clawed back by more than the refunded share (2500 of 10000)`,
      `${top.id}: clawback ${orphan.transaction.id} takes back award ${ghost}, which does not exist`,
      `${top.id}: award purchase:${nowhere}:referee:0 names purchase ${nowhere}, which does not exist`,
      `${referrer.id}: redeem spend ${spend.transaction.id} has no reward row`,
    ];
    for (const e of expected) expect(problems.some((p) => p.includes(e)), `${e}\n in\n${problems.join('\n')}`).toBe(true);
    expect(problems.filter((p) => p.includes('of a fully refunded order is not all clawed back'))).toHaveLength(2);
    expect(problems, problems.join('\n')).toHaveLength(expected.length);

    const bad = await cli();
    expect(bad.code, bad.stdout + bad.stderr).toBe(1);
    expect(bad.stdout).toContain(`user ${buyer.id}: order ${full.orderId}: award purchase:${full.id}:referee:0 (posted 100) is clawed back by more than the award (expected 100, actual 101)`);
    expect(bad.stdout).toContain(`user ${referrer.id}: order ${unsettled.orderId}: award purchase:${unsettled.id}:commission:1 (posted 50) of a fully refunded order is not all clawed back (expected 50, actual 0)`);
    expect(bad.stdout).toContain(`is clawed back by more than the refunded share (2500 of 10000) (expected 125, actual 126)`);
    expect(bad.stdout).toContain(`still pending, not voided`);
    expect(bad.stdout).toContain(`takes back award ${ghost}, which does not exist`);
    expect(bad.stdout).toContain(`user ${referrer.id}: redeem spend ${spend.transaction.id} has no reward row`);
    expect(bad.stdout).toContain(`${problems.length} difference(s) found`);
  }, 60_000);

  it('names an award whose purchase_awards link no longer agrees with its ledger entries', async () => {
    const { buyer } = await referralChain(t.app);
    const order = await complete(buyer.id, 10_000);
    const link = async (role: string) =>
      (await db.query(`SELECT id FROM purchase_awards WHERE purchase_id = $1 AND role = $2 AND level = 1`, [order.id, role]))[0].id as string;
    const [bonus] = await db.query(`SELECT id FROM purchase_awards WHERE purchase_id = $1 AND role = 'referee'`, [order.id]);
    await db.query(`UPDATE purchase_awards SET state = 'voided' WHERE id = $1`, [bonus.id]);
    await db.query(`UPDATE purchase_awards SET amount = amount + 1 WHERE id = $1`, [await link('commission')]);
    const problems = (await checkLedger(db)).map((p) => `${p.userId}: ${p.problem}`).filter((p) => p.includes(order.orderId));
    expect(problems, problems.join('\n')).toEqual([
      expect.stringContaining(`award purchase:${order.id}:commission:1 (posted 500) differs from its purchase_awards link (posted 501 for`),
      expect.stringContaining(`award purchase:${order.id}:referee:0 (posted 100) differs from its purchase_awards link (voided 100 for ${buyer.id}`),
    ]);
  }, 60_000);
});
