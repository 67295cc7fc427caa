import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UnitOfWork } from '../src/database/unit-of-work';
import { checkLedger } from '../src/points/ledger-check';
import { OrderSettlementService } from '../src/purchases/order-settlement.service';
import { RefundSweepService } from '../src/purchases/refund-sweep.service';
import { balances, jobsIdle, orderEntries, referralChain, signedPost } from './utils/purchase-webhooks';
import { createTestApp, TestApp } from './utils/test-app';
import { until } from './utils/wait';

/** Refund settlement: closed accounts, one beneficiary failing, proportional bonuses, races, and webhooks answered after commit. */
describe('refund settlement', () => {
  let t: TestApp;
  let db: DataSource;

  beforeAll(async () => {
    t = await createTestApp();
    db = t.app.get(DataSource);
  });
  afterAll(() => t?.close());

  const complete = async (userId: string, amount: number, awards = 4) => {
    const body = { orderId: `o-${randomUUID()}`, userId, amount, currency: 'USD' };
    await signedPost(t.http, '/api/purchases/completed', body).expect(202);
    await until(async () => (await orderEntries(t.app, body.orderId)).length, (n) => n === awards);
    await jobsIdle(t.app);
    return body.orderId;
  };
  const refund = (orderId: string, amount?: number) => signedPost(t.http, '/api/purchases/refunded', amount === undefined ? { orderId } : { orderId, amount });
  const purchaseId = async (orderId: string): Promise<string> => (await db.query(`SELECT id FROM purchases WHERE order_id = $1`, [orderId]))[0].id;
  const closeAccount = (userId: string) => db.query(`UPDATE users SET deleted_at = now() WHERE id = $1`, [userId]);
  /** What each award of the order has had clawed back, by award key. */
  const clawedBack = async (orderId: string) => {
    const entries = await orderEntries(t.app, orderId);
    const taken = new Map<string, number>();
    for (const e of entries.filter((x) => x.type === 'clawback')) taken.set(e.metadata.awardKey, (taken.get(e.metadata.awardKey) ?? 0) - e.amount);
    return Object.fromEntries(
      entries.filter((e) => e.type === 'earn').map((e) => [`${e.metadata.role}:${e.metadata.level}`, taken.get(e.idempotency_key) ?? 0]),
    );
  };

  it('claws back from every beneficiary when some of their accounts were closed, the closed ones included', async () => {
    const { top, referrer, buyer } = await referralChain(t.app);
    const orderId = await complete(buyer.id, 10_000);
    await closeAccount(referrer.id);
    await closeAccount(buyer.id);

    await refund(orderId).expect(202);
    await until(() => clawedBack(orderId), (c) => Object.values(c).every((v) => v > 0));
    await jobsIdle(t.app);
    expect(await clawedBack(orderId)).toEqual({ 'referee:0': 100, 'referrer:1': 100, 'commission:1': 500, 'commission:2': 100 });
    for (const u of [top, referrer, buyer]) expect(await balances(t.app, u.id)).toEqual({ total: 0, available: 0, pending: 0, debt: 0 });
    const [{ refused }] = await db.query(`SELECT count(*)::int AS refused FROM pgboss.job WHERE name = 'purchase-refund' AND state = 'failed'`);
    expect(refused).toBe(0);
    expect(await checkLedger(db)).toEqual([]);
  });

  it('settles the other beneficiaries while one of them fails, and that one once it can', async () => {
    const { top, referrer, buyer } = await referralChain(t.app);
    const orderId = await complete(buyer.id, 10_000);
    // A real fault in the database, not a mock: the referrer's clawbacks are refused until it is lifted.
    const trigger = `fail_clawback_${randomUUID().replace(/-/g, '')}`;
    await db.query(`CREATE FUNCTION ${trigger}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'injected fault'; END $$`);
    await db.query(
      `CREATE TRIGGER ${trigger} BEFORE INSERT ON point_transactions FOR EACH ROW
       WHEN (NEW.type = 'clawback' AND NEW.user_id = '${referrer.id}') EXECUTE FUNCTION ${trigger}()`,
    );
    try {
      await refund(orderId).expect(202);
      await until(() => clawedBack(orderId), (c) => c['referee:0'] === 100 && c['commission:2'] === 100);
      expect(await balances(t.app, buyer.id)).toMatchObject({ total: 0 });
      expect(await balances(t.app, top.id)).toMatchObject({ total: 0 });
      expect(await balances(t.app, referrer.id)).toMatchObject({ total: 600 });
    } finally {
      await db.query(`DROP TRIGGER ${trigger} ON point_transactions`);
      await db.query(`DROP FUNCTION ${trigger}()`);
    }
    // The refund job failed and is retried; its next run takes the referrer's share, and only that.
    await until(() => balances(t.app, referrer.id), (b) => b.total === 0, 40_000);
    await jobsIdle(t.app, 40_000);
    expect(await clawedBack(orderId)).toEqual({ 'referee:0': 100, 'referrer:1': 100, 'commission:1': 500, 'commission:2': 100 });
    expect(await checkLedger(db)).toEqual([]);
  }, 60_000);

  it('claws back the first-purchase bonuses in proportion, cumulatively: all but one cent, then the last cent', async () => {
    const { top, referrer, buyer } = await referralChain(t.app);
    const orderId = await complete(buyer.id, 10_000);

    await refund(orderId, 9_999).expect(202);
    await until(() => balances(t.app, top.id), (b) => b.total === 1);
    await jobsIdle(t.app);
    // floor(award × 9999 / 10000): the bonuses keep 1 point each, the commissions 1 each.
    expect(await clawedBack(orderId)).toEqual({ 'referee:0': 99, 'referrer:1': 99, 'commission:1': 499, 'commission:2': 99 });
    expect((await balances(t.app, buyer.id)).total).toBe(1);
    expect((await balances(t.app, referrer.id)).total).toBe(2);

    await refund(orderId, 10_000).expect(202);
    await until(() => balances(t.app, top.id), (b) => b.total === 0);
    await jobsIdle(t.app);
    expect(await clawedBack(orderId)).toEqual({ 'referee:0': 100, 'referrer:1': 100, 'commission:1': 500, 'commission:2': 100 });
    for (const u of [top, referrer, buyer]) expect((await balances(t.app, u.id)).total).toBe(0);
    expect(await checkLedger(db)).toEqual([]);
  });

  it('never claws back twice under concurrent and replayed refund webhooks and settlements', async () => {
    const { top, referrer, buyer } = await referralChain(t.app);
    const orderId = await complete(buyer.id, 10_000);
    const id = await purchaseId(orderId);
    const settlement = t.app.get(OrderSettlementService);
    // A unit of work of its own, not the app's: no contention queue in this process, so they meet in PostgreSQL.
    const uow = new UnitOfWork(db);
    const amounts = [2_000, 5_000, 7_777, 2_000, 7_777, 5_000, 7_777, 2_000];
    const responses = await Promise.all([
      ...amounts.map((a) => refund(orderId, a)),
      ...amounts.map(() => settlement.settle({ purchaseId: id }).then(() => ({ status: 202 }))),
      ...amounts.map(() => uow.run((tx) => settlement.settle({ tx, purchaseId: id })).then(() => ({ status: 202 }))),
    ]);
    expect(responses.map((r) => r.status)).toEqual(responses.map(() => 202));
    await until(() => balances(t.app, top.id), (b) => b.total === 100 - 77);
    await jobsIdle(t.app);
    await settlement.settle({ purchaseId: id });
    // floor(award × 7777 / 10000), once.
    expect(await clawedBack(orderId)).toEqual({ 'referee:0': 77, 'referrer:1': 77, 'commission:1': 388, 'commission:2': 77 });
    expect((await balances(t.app, buyer.id)).total).toBe(100 - 77);
    expect((await balances(t.app, referrer.id)).total).toBe(600 - 77 - 388);
    const entries = await orderEntries(t.app, orderId);
    expect(new Set(entries.map((e) => e.idempotency_key)).size).toBe(entries.length);
    expect(await checkLedger(db)).toEqual([]);
  }, 60_000);

  it('settles again, daily, a refunded order whose refund job gave up', async () => {
    const { top, referrer, buyer } = await referralChain(t.app);
    const full = await complete(buyer.id, 10_000);
    const partial = await complete(buyer.id, 10_000, 2);
    // Refunds recorded with no job left to settle them: the state a refund job that ran out of retries leaves.
    await db.query(`UPDATE purchases SET refunded_amount = amount, status = 'refunded' WHERE order_id = $1`, [full]);
    await db.query(`UPDATE purchases SET refunded_amount = 5000, status = 'partially_refunded' WHERE order_id = $1`, [partial]);
    expect((await checkLedger(db)).length).toBeGreaterThan(0);

    const sweep = t.app.get(RefundSweepService);
    expect(await sweep.run()).toBe(2);
    await until(() => balances(t.app, top.id), (b) => b.total === 50, 30_000);
    await jobsIdle(t.app);
    expect(await clawedBack(full)).toEqual({ 'referee:0': 100, 'referrer:1': 100, 'commission:1': 500, 'commission:2': 100 });
    expect(await clawedBack(partial)).toEqual({ 'commission:1': 250, 'commission:2': 50 });
    expect((await balances(t.app, referrer.id)).total).toBe(250);
    expect(await checkLedger(db)).toEqual([]);
    expect(await sweep.run()).toBe(0);
    const [row] = await db.query(`SELECT cron FROM pgboss.schedule WHERE name = 'purchase-refund-sweep'`);
    expect(row.cron).toBe('20 0 * * *');
  });

  describe('webhooks answered after their commit', () => {
    // The referrer lookup after commit reads `referrals`: renaming the table makes it fail for
    // real, while the webhook's own transaction (purchases, users, pg-boss) does not touch it.
    async function withoutReferralsTable<T>(work: () => Promise<T>): Promise<T> {
      await db.query(`ALTER TABLE referrals RENAME TO referrals_gone`);
      try {
        return await work();
      } finally {
        await db.query(`ALTER TABLE referrals_gone RENAME TO referrals`);
      }
    }

    it('answers 202 to a purchase and to its refund when the lookup after commit fails, and both still take effect', async () => {
      const { referrer, buyer } = await referralChain(t.app);
      await jobsIdle(t.app);
      const body = { orderId: `o-${randomUUID()}`, userId: buyer.id, amount: 10_000, currency: 'USD' };
      const completed = await withoutReferralsTable(() => signedPost(t.http, '/api/purchases/completed', body));
      expect(completed.status, JSON.stringify(completed.body)).toBe(202);
      expect(completed.body).toEqual({ status: 'accepted', duplicate: false });
      await until(() => balances(t.app, referrer.id), (b) => b.total === 600, 40_000);
      await jobsIdle(t.app, 40_000);

      const refunded = await withoutReferralsTable(() => refund(body.orderId));
      expect(refunded.status, JSON.stringify(refunded.body)).toBe(202);
      await until(() => balances(t.app, referrer.id), (b) => b.total === 0, 40_000);
      await jobsIdle(t.app, 40_000);
      expect(await checkLedger(db)).toEqual([]);
    }, 60_000);
  });
});
