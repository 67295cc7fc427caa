import { randomUUID } from 'node:crypto';
import { io, Socket } from 'socket.io-client';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAppConfig } from '../src/config/app-config';
import { APP_CONFIG } from '../src/config/config.module';
import { JobsService } from '../src/jobs/jobs.service';
import { checkLedger } from '../src/points/ledger-check';
import { PurchasesService } from '../src/purchases/purchases.service';
import { balances, jobsIdle, orderEntries, refer, referralChain, sign, signedPost } from './utils/purchase-webhooks';
import { until } from './utils/wait';
import { createTestApp, TestApp } from './utils/test-app';
import { createTestUser, TestUser } from './utils/test-users';
import { USER_REFERRAL_STATS } from './utils/referral-stats';

describe('purchase rewards over HTTP', () => {
  let t: TestApp;
  let db: DataSource;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    t = await createTestApp();
    db = t.app.get(DataSource);
  });
  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    await t?.close();
  });

  const order = (fields: Record<string, unknown> = {}) => ({ orderId: `o-${randomUUID()}`, amount: 10_000, currency: 'USD', ...fields });
  const purchaseCount = async (orderId: string) =>
    (await db.query(`SELECT count(*)::int AS n FROM purchases WHERE order_id = $1`, [orderId]))[0].n as number;
  const jobCount = async () =>
    (await db.query(`SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'purchase-reward'`))[0].n as number;

  async function listen(user: TestUser) {
    const received: Array<{ event: string; payload: any }> = [];
    const socket = io(t.url, { auth: { token: user.token }, transports: ['websocket'], reconnection: false });
    sockets.push(socket);
    // resync (sent on every connect) is tested in gateway-resync.e2e-spec.ts.
    socket.onAny((event, payload) => event !== 'resync' && received.push({ event, payload }));
    await new Promise<void>((resolve, reject) => {
      socket.on('connect', () => resolve());
      socket.on('connect_error', reject);
    });
    return received;
  }

  describe('signature', () => {
    it('answers 401 INVALID_SIGNATURE for a missing, malformed or wrong signature, before validating the body', async () => {
      const buyer = await createTestUser(t.app);
      const body = order({ userId: buyer.id });
      const text = JSON.stringify(body);
      const cases: Array<string | undefined> = [
        undefined,
        'sha256=',
        'md5=abc',
        sign(text).replace('sha256=', ''),
        sign(text, 'another-secret-0123456789'),
        sign(JSON.stringify({ ...body, amount: 1 })),
        `${sign(text)}00`,
      ];
      for (const signature of cases) {
        const req = t.http.post('/api/purchases/completed').set('Content-Type', 'application/json');
        if (signature !== undefined) req.set('X-Signature', signature);
        const res = await req.send(text);
        expect(res.status, String(signature)).toBe(401);
        expect(res.body.code).toBe('INVALID_SIGNATURE');
      }
      const unsignedGarbage = await t.http.post('/api/purchases/completed').send({ nonsense: true });
      expect(unsignedGarbage.status).toBe(401);
      const refund = await t.http.post('/api/purchases/refunded').send({ orderId: body.orderId });
      expect(refund.status).toBe(401);
      expect(await purchaseCount(body.orderId)).toBe(0);
    });

    it('accepts the signature in upper-case hex, compared over the raw bytes', async () => {
      const buyer = await createTestUser(t.app);
      const text = `{ "orderId": "o-${randomUUID()}",  "userId": "${buyer.id}", "amount": 500, "currency": "EUR" }`;
      const res = await t.http
        .post('/api/purchases/completed')
        .set('Content-Type', 'application/json')
        .set('X-Signature', sign(text).replace(/[0-9a-f]+$/, (h) => h.toUpperCase()))
        .send(text);
      expect(res.status).toBe(202);
      expect(res.body).toEqual({ status: 'accepted', duplicate: false });
    });
  });

  describe('POST /api/purchases/completed validation', () => {
    it.each([
      ['no orderId', { orderId: undefined }],
      ['an empty orderId', { orderId: '' }],
      ['a 256-character orderId', { orderId: 'x'.repeat(256) }],
      ['a zero amount', { amount: 0 }],
      ['a fractional amount', { amount: 1.5 }],
      ['an amount over 1e9', { amount: 1_000_000_001 }],
      ['an amount as a string', { amount: '100' }],
      ['a lower-case currency', { currency: 'usd' }],
      ['a four-letter currency', { currency: 'USDT' }],
      ['a bad completedAt', { completedAt: 'yesterday' }],
      ['a week date completedAt that Date cannot read', { completedAt: '2026-W05' }],
      ['a non-uuid userId', { userId: 'nope' }],
      ['an unknown field', { coupon: 'FREE' }],
    ])('answers %s with 400 VALIDATION_FAILED and records nothing', async (_label, fields) => {
      const buyer = await createTestUser(t.app);
      const body = order({ userId: buyer.id, ...fields });
      const res = await signedPost(t.http, '/api/purchases/completed', body);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      if (typeof body.orderId === 'string') expect(await purchaseCount(body.orderId)).toBe(0);
    });

    it('answers an unknown user with 404 USER_NOT_FOUND and leaves no purchase row and no job', async () => {
      const before = await jobCount();
      const body = order({ userId: randomUUID() });
      const res = await signedPost(t.http, '/api/purchases/completed', body);
      expect(res.status).toBe(404);
      expect(res.body.code).toBe('USER_NOT_FOUND');
      expect(await purchaseCount(body.orderId)).toBe(0);
      expect(await jobCount()).toBe(before);
    });
  });

  describe('atomic recording', () => {
    it('leaves no purchase row when its job cannot be enqueued, so a retried delivery is recorded normally', async () => {
      const { referrer, buyer } = await referralChain(t.app);
      const jobs = t.app.get(JobsService);
      const send = jobs.send.bind(jobs);
      jobs.send = async () => {
        throw new Error('queue unavailable');
      };
      const body = order({ userId: buyer.id, amount: 2_000 });
      try {
        const failed = await signedPost(t.http, '/api/purchases/completed', body);
        expect(failed.status).toBe(500);
        expect(failed.body.code).toBe('INTERNAL_ERROR');
      } finally {
        jobs.send = send;
      }
      expect(await purchaseCount(body.orderId)).toBe(0);
      const retried = await signedPost(t.http, '/api/purchases/completed', body).expect(202);
      expect(retried.body.duplicate).toBe(false);
      await until(() => balances(t.app, referrer.id), (b) => b.total === 200);
      expect((await balances(t.app, referrer.id)).total).toBe(200);
    });

    it('documents both webhooks in the OpenAPI spec', async () => {
      const res = await t.http.get('/docs-json').expect(200);
      expect(Object.keys(res.body.paths)).toEqual(expect.arrayContaining(['/api/purchases/completed', '/api/purchases/refunded', '/api/admin/analytics']));
    });
  });

  describe('the API.md example: give 100, get 100, plus 5% and 1%', () => {
    it('rewards referee, referrer and second-level referrer, converts the referral and tells the referrer over Socket.IO', async () => {
      const { top, referrer, buyer, referral } = await referralChain(t.app);
      const referrerEvents = await listen(referrer);
      const buyerEvents = await listen(buyer);
      const body = order({ userId: buyer.id, amount: 10_000 });
      const res = await signedPost(t.http, '/api/purchases/completed', body).expect(202);
      expect(res.body).toEqual({ status: 'accepted', duplicate: false });

      await until(() => balances(t.app, top.id), (b) => b.total === 100);
      await jobsIdle(t.app);
      expect(await balances(t.app, buyer.id)).toEqual({ total: 100, available: 100, pending: 0, debt: 0 });
      expect(await balances(t.app, referrer.id)).toEqual({ total: 600, available: 600, pending: 0, debt: 0 });
      expect(await balances(t.app, top.id)).toEqual({ total: 100, available: 100, pending: 0, debt: 0 });

      const entries = await orderEntries(t.app, body.orderId);
      const [purchase] = await db.query(`SELECT id FROM purchases WHERE order_id = $1`, [body.orderId]);
      expect(entries.map((e) => [e.idempotency_key, e.user_id, e.amount, e.source, e.status]).sort()).toEqual(
        [
          [`purchase:${purchase.id}:referee:0`, buyer.id, 100, 'referral', 'posted'],
          [`purchase:${purchase.id}:referrer:1`, referrer.id, 100, 'referral', 'posted'],
          [`purchase:${purchase.id}:commission:1`, referrer.id, 500, 'purchase', 'posted'],
          [`purchase:${purchase.id}:commission:2`, top.id, 100, 'purchase', 'posted'],
        ].sort(),
      );
      expect(entries.every((e) => e.metadata.refereeId === buyer.id && e.metadata.orderId === body.orderId)).toBe(true);

      const [r] = await db.query(`SELECT status, converted_at, converted_purchase_id FROM referrals WHERE id = $1`, [referral]);
      expect(r.status).toBe('converted');
      expect(r.converted_at).not.toBeNull();
      expect(r.converted_purchase_id).toBe(purchase.id);
      const [stats] = await db.query(
        `SELECT converted_referrals, active_referrals, total_earned::int AS total_earned FROM ${USER_REFERRAL_STATS} WHERE id = $1`,
        [referrer.id],
      );
      expect(stats).toEqual({ converted_referrals: 1, active_referrals: 1, total_earned: 600 });
      const [topStats] = await db.query(`SELECT total_earned::int AS total_earned FROM ${USER_REFERRAL_STATS} WHERE id = $1`, [top.id]);
      expect(topStats.total_earned).toBe(100);

      await until(async () => referrerEvents.length, (n) => n >= 4, 3_000);
      const updates = referrerEvents.filter((e) => e.event === 'points-updated');
      expect(updates.map((e) => e.payload.delta).sort((a, b) => a - b)).toEqual([100, 500]);
      expect(updates.at(-1)!.payload).toMatchObject({ available: 600, total: 600, pending: 0 });
      const notes = referrerEvents.filter((e) => e.event === 'new-notification' && e.payload.type === 'referral-converted');
      expect(notes).toHaveLength(1);
      expect(notes[0].payload.message).toBe('Your friend made their first purchase — you earned 600 points.');
      expect(buyerEvents.filter((e) => e.event === 'points-updated').map((e) => e.payload.delta)).toEqual([100]);

      // The referral list shows what the referrer earned from this referee.
      const list = await t.http.get('/api/points/referrals').set('Authorization', `Bearer ${referrer.token}`).expect(200);
      expect(list.body.items[0]).toMatchObject({ status: 'converted', pointsEarned: 600 });
      expect(list.body.stats).toMatchObject({ convertedReferrals: 1, activeReferrals: 1, totalEarned: 600 });

      // A second purchase earns commissions only: no second bonus, no second conversion notice.
      const second = order({ userId: buyer.id, amount: 2_050 });
      await signedPost(t.http, '/api/purchases/completed', second).expect(202);
      await until(() => balances(t.app, top.id), (b) => b.total === 120);
      await jobsIdle(t.app);
      expect((await balances(t.app, referrer.id)).total).toBe(702);
      expect((await balances(t.app, buyer.id)).total).toBe(100);
      expect(referrerEvents.filter((e) => e.payload?.type === 'referral-converted')).toHaveLength(1);
      const [again] = await db.query(`SELECT converted_referrals FROM ${USER_REFERRAL_STATS} WHERE id = $1`, [referrer.id]);
      expect(again.converted_referrals).toBe(1);
      expect(await checkLedger(db)).toEqual([]);
    });

    it('awards nothing for a buyer without a referral or with a rejected one', async () => {
      const loner = await createTestUser(t.app);
      const { buyer, referrer } = await referralChain(t.app, { referrer: 'rejected' });
      const a = order({ userId: loner.id });
      const b = order({ userId: buyer.id });
      await signedPost(t.http, '/api/purchases/completed', a).expect(202);
      await signedPost(t.http, '/api/purchases/completed', b).expect(202);
      await jobsIdle(t.app);
      expect(await orderEntries(t.app, a.orderId)).toEqual([]);
      expect(await orderEntries(t.app, b.orderId)).toEqual([]);
      expect((await balances(t.app, referrer.id)).total).toBe(0);
      const [r] = await db.query(`SELECT status, converted_at FROM referrals WHERE referee_id = $1`, [buyer.id]);
      expect(r).toEqual({ status: 'rejected', converted_at: null });
    });
  });

  describe('idempotent delivery', () => {
    it('answers a repeat with duplicate: true and a changed repeat with 409 ORDER_CONFLICT, awarding once', async () => {
      const { referrer, buyer } = await referralChain(t.app);
      const body = order({ userId: buyer.id, amount: 4_000 });
      await signedPost(t.http, '/api/purchases/completed', body).expect(202);
      const again = await signedPost(t.http, '/api/purchases/completed', body).expect(202);
      expect(again.body).toEqual({ status: 'accepted', duplicate: true });
      for (const changed of [{ amount: 4_001 }, { currency: 'EUR' }, { userId: referrer.id }]) {
        const res = await signedPost(t.http, '/api/purchases/completed', { ...body, ...changed });
        expect(res.status).toBe(409);
        expect(res.body.code).toBe('ORDER_CONFLICT');
      }
      await jobsIdle(t.app);
      expect((await orderEntries(t.app, body.orderId)).length).toBe(4);
      expect((await balances(t.app, referrer.id)).total).toBe(300);
    });

    it('records 20 concurrent deliveries of one new order once, with one job and one award per key', async () => {
      const { top, referrer, buyer } = await referralChain(t.app);
      const body = order({ userId: buyer.id, amount: 7_000 });
      const jobsBefore = await jobCount();
      const responses = await Promise.all(Array.from({ length: 20 }, () => signedPost(t.http, '/api/purchases/completed', body)));
      expect(responses.map((r) => r.status)).toEqual(Array(20).fill(202));
      expect(responses.filter((r) => r.body.duplicate === false)).toHaveLength(1);
      expect(await purchaseCount(body.orderId)).toBe(1);
      expect(await jobCount()).toBe(jobsBefore + 1);
      await until(() => balances(t.app, top.id), (b) => b.total === 70);
      await jobsIdle(t.app);
      const entries = await orderEntries(t.app, body.orderId);
      expect(entries).toHaveLength(4);
      expect(new Set(entries.map((e) => e.idempotency_key)).size).toBe(4);
      expect((await balances(t.app, referrer.id)).total).toBe(100 + 350);
      expect(await checkLedger(db)).toEqual([]);
    });

    it('keeps the referrer\'s counters exact when 12 referees buy at once', async () => {
      const referrer = await createTestUser(t.app);
      const buyers: TestUser[] = [];
      for (let i = 0; i < 12; i++) {
        const b = await createTestUser(t.app);
        await refer(t.app, referrer, b);
        buyers.push(b);
      }
      const responses = await Promise.all(buyers.map((b) => signedPost(t.http, '/api/purchases/completed', order({ userId: b.id, amount: 1_000 }))));
      expect(responses.every((r) => r.status === 202)).toBe(true);
      await until(() => balances(t.app, referrer.id), (b) => b.total === 12 * 150, 30_000);
      await jobsIdle(t.app);
      const [stats] = await db.query(
        `SELECT converted_referrals, active_referrals, total_earned::int AS total_earned,
                (SELECT total::int FROM point_balances b WHERE b.user_id = stats.id) AS total
           FROM ${USER_REFERRAL_STATS} WHERE id = $1`,
        [referrer.id],
      );
      expect(stats).toEqual({ converted_referrals: 12, active_referrals: 12, total_earned: 1_800, total: 1_800 });
      const [notes] = await db.query(`SELECT count(*)::int AS n FROM notifications WHERE user_id = $1 AND type = 'referral-converted'`, [referrer.id]);
      expect(notes.n).toBe(12);
      expect(await checkLedger(db)).toEqual([]);
    });

    it('gives in-process callers the same path through notifyTransactionCompleted', async () => {
      const { referrer, buyer } = await referralChain(t.app);
      const purchases = t.app.get(PurchasesService);
      const input = { orderId: `o-${randomUUID()}`, userId: buyer.id, amount: 1_000, currency: 'USD' };
      expect(await purchases.notifyTransactionCompleted(input)).toEqual({ status: 'accepted', duplicate: false });
      expect(await purchases.notifyTransactionCompleted(input)).toEqual({ status: 'accepted', duplicate: true });
      await until(() => balances(t.app, referrer.id), (b) => b.total === 150);
      await expect(purchases.notifyTransactionCompleted({ ...input, orderId: 'x', userId: 'not-a-uuid' })).rejects.toMatchObject({
        code: 'USER_NOT_FOUND',
      });
    });
  });
});

describe('purchase webhooks without PURCHASE_WEBHOOK_SECRET', () => {
  let t: TestApp;
  beforeAll(async () => {
    const config = loadAppConfig();
    t = await createTestApp({ customize: (b) => b.overrideProvider(APP_CONFIG).useValue({ ...config, purchaseWebhookSecret: undefined }) });
  });
  afterAll(() => t?.close());

  it('refuses every delivery with 503 WEBHOOKS_DISABLED, signed or not', async () => {
    const body = { orderId: 'o-1', userId: randomUUID(), amount: 100, currency: 'USD' };
    for (const path of ['/api/purchases/completed', '/api/purchases/refunded']) {
      const res = await signedPost(t.http, path, body);
      expect(res.status).toBe(503);
      expect(res.body.code).toBe('WEBHOOKS_DISABLED');
      const unsigned = await t.http.post(path).send(body);
      expect(unsigned.status).toBe(503);
    }
  });
});
