import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { IncomingMessage } from 'node:http';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAppConfig } from '../src/config/app-config';
import { APP_CONFIG } from '../src/config/config.module';
import { MAIL_TRANSPORT } from '../src/mail/mail-transport';
import { DEFAULT_DELIVERY_POLICY, WEBHOOK_DELIVERY_POLICY } from '../src/webhooks/webhook-policy';
import { MailOutbox } from './utils/mail-outbox';
import { balances, jobsIdle, signedPost } from './utils/purchase-webhooks';
import { createTestApp, TestApp } from './utils/test-app';
import { createTestUser, TestUser } from './utils/test-users';
import { until } from './utils/wait';
import { startReceiver, WebhookReceiver } from './utils/webhook-receiver';

// The receivers listen on loopback, which the SSRF guard refuses unless this is set.
process.env.WEBHOOK_ALLOW_PRIVATE_URLS = 'true';
process.env.RATE_LIMIT_SCALE = '1000';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Delivered {
  id: string;
  type: string;
  createdAt: string;
  data: Record<string, any>;
}

/**
 * Standard Webhooks, written again here from the spec (neither the app's signer nor the shared
 * test helper): HMAC-SHA256 keyed by the base64 after `whsec_` over `{id}.{timestamp}.{body}`,
 * one of the space-separated `v1,<base64>` signatures must match.
 */
function signatureValid(secret: string, headers: IncomingMessage['headers'], body: string): boolean {
  const id = String(headers['webhook-id'] ?? '');
  const ts = String(headers['webhook-timestamp'] ?? '');
  if (!id || !/^\d+$/.test(ts) || Math.abs(Date.now() / 1000 - Number(ts)) > 300) return false;
  const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
  const mac = createHmac('sha256', key).update(`${id}.${ts}.${body}`).digest();
  return String(headers['webhook-signature'] ?? '')
    .split(' ')
    .some((s) => {
      const comma = s.indexOf(',');
      const given = Buffer.from(s.slice(comma + 1), 'base64');
      return s.slice(0, comma) === 'v1' && given.length === mac.length && timingSafeEqual(given, mac);
    });
}

/*
 * Every outbound event type produced by a real flow (HTTP sign-up, purchase webhook, review,
 * redemption, refund, admin add) and delivered to a real loopback receiver: data as in the
 * README table, once per change, signed, nothing for a rolled-back change, and subscriptions
 * filtering. points.expired has no producer yet (issue 12), so it is not exercised here.
 */
describe('outbound webhook events from real changes', () => {
  let t: TestApp;
  let ds: DataSource;
  let admin: TestUser;
  let all: WebhookReceiver;
  let allEndpoint: { id: string; secret: string };
  const receivers: WebhookReceiver[] = [];
  const mail = new MailOutbox();
  let seq = 0;

  beforeAll(async () => {
    t = await createTestApp({
      customize: (b) =>
        b
          .overrideProvider(WEBHOOK_DELIVERY_POLICY)
          .useValue({ ...DEFAULT_DELIVERY_POLICY, retryDelaySeconds: 1, retryDelayMaxSeconds: 2, dispatchIntervalMs: 100 })
          .overrideProvider(MAIL_TRANSPORT)
          .useValue(mail)
          .overrideProvider(APP_CONFIG)
          .useFactory({ factory: () => ({ ...loadAppConfig(), trustProxy: 'loopback' }) }),
    });
    ds = t.app.get(DataSource);
    admin = await createTestUser(t.app, { role: 'admin' });
    asAdmin.Authorization = `Bearer ${admin.token}`;
    all = await receiver();
    allEndpoint = await endpoint(all.url, ['*']);
  });
  afterAll(async () => {
    await t?.close();
    for (const r of receivers) await r.close();
  });

  async function receiver() {
    const r = await startReceiver();
    receivers.push(r);
    return r;
  }
  const asAdmin = { Authorization: '' };
  async function endpoint(url: string, events: string[]): Promise<{ id: string; secret: string }> {
    return (await t.http.post('/api/admin/webhooks').set(asAdmin).send({ url, events }).expect(201)).body;
  }
  const setEnabled = (id: string, enabled: boolean) => t.http.patch(`/api/admin/webhooks/${id}`).set(asAdmin).send({ enabled }).expect(200);

  const bodies = (r: WebhookReceiver): Delivered[] => r.received.map((w) => JSON.parse(w.body));
  /** The events about any of these users (as the user, referrer or referee), in arrival order. */
  const about = (r: WebhookReceiver, ...userIds: string[]) =>
    bodies(r).filter((e) => [e.data.userId, e.data.referrerId, e.data.refereeId].some((u) => userIds.includes(u)));
  const ofType = (events: Delivered[], type: string) => events.filter((e) => e.type === type);
  /** Delivery is not in order: compare [type, data] lists sorted. */
  const byType = (pairs: Array<[string, unknown]>) => [...pairs].sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
  const typed = (events: Delivered[]) => byType(events.map((e) => [e.type, e.data]));

  /** Every recorded event dispatched and every delivery finished. */
  async function settled(): Promise<void> {
    await until(
      async () =>
        (
          await ds.query(`SELECT (SELECT count(*) FROM webhook_events WHERE dispatched_at IS NULL)
                               + (SELECT count(*) FROM webhook_deliveries WHERE status IN ('pending', 'retrying')) AS n`)
        )[0].n,
      (n) => Number(n) === 0,
      30_000,
    );
    // A duplicate would arrive after its first copy: give one the time to.
    await sleep(500);
  }

  // TRUST_PROXY=loopback: X-Forwarded-For gives each person their own sign-up address.
  async function signUp(opts: { code?: string; email?: string; device?: string } = {}) {
    const n = ++seq;
    const email = opts.email ?? `person-${n}-${randomUUID().slice(0, 6)}@example.com`;
    const ip = `203.0.113.${n}`;
    const device = opts.device ?? `device-${n}`;
    await t.http
      .post('/api/auth/sign-up')
      .set('X-Forwarded-For', ip)
      .set('X-Device-Id', device)
      .send({ email, password: 'password123', name: `Person ${n}`, ...(opts.code ? { referralCode: opts.code } : {}) })
      .expect(202);
    const res = await t.http
      .post('/api/auth/verify-email-code')
      .set('X-Forwarded-For', ip)
      .set('X-Device-Id', device)
      .send({ email, code: await mail.code(email.toLowerCase()) })
      .expect(201);
    const token: string = res.body.accessToken;
    const referralCode = (await t.http.post('/api/points/generate-referral-code').set('Authorization', `Bearer ${token}`).expect(201)).body.code as string;
    return { id: res.body.user.id as string, token, email, device, referralCode, referral: res.body.referral as { status: string; reasons: string[] } | null };
  }
  type Person = Awaited<ReturnType<typeof signUp>>;

  const referralOf = async (refereeId: string) => (await ds.query(`SELECT id FROM referrals WHERE referee_id = $1`, [refereeId]))[0].id as string;

  /** top → referrer → buyer, all signed up over HTTP; the buyer shares the referrer's device when `flagged`. */
  async function chain(flagged = false) {
    const top = await signUp();
    const referrer = await signUp({ code: top.referralCode });
    const buyer = await signUp({ code: referrer.referralCode, ...(flagged ? { device: referrer.device } : {}) });
    expect(buyer.referral?.status).toBe(flagged ? 'flagged' : 'pending');
    return { top, referrer, buyer, referral: await referralOf(buyer.id) };
  }

  async function purchase(buyer: Person, amount: number) {
    const orderId = `o-${randomUUID()}`;
    await signedPost(t.http, '/api/purchases/completed', { orderId, userId: buyer.id, amount, currency: 'USD' }).expect(202);
    await until(async () => (await awardsOf(orderId)).length, (n) => n > 0);
    await jobsIdle(t.app);
    const [{ id }] = await ds.query(`SELECT id FROM purchases WHERE order_id = $1`, [orderId]);
    return { orderId, purchaseId: id as string };
  }
  const awardsOf = (orderId: string) =>
    ds.query(
      `SELECT t.id, t.user_id AS "userId", t.amount::int AS amount, t.source, t.status
         FROM purchase_awards a JOIN purchases p ON p.id = a.purchase_id JOIN point_transactions t ON t.id = a.ledger_entry_id
        WHERE p.order_id = $1 ORDER BY t.created_at, t.id`,
      [orderId],
    ) as Promise<Array<{ id: string; userId: string; amount: number; source: string; status: string }>>;

  const adminAdd = (userId: string, amount: number, reason = 'webhook test') =>
    t.http.post('/api/points/admin/add').set(asAdmin).send({ userId, amount, reason });
  const redeem = (user: { token: string }, amount: number, reward: 'discount-code' | 'service-credit' = 'discount-code') =>
    t.http.post('/api/points/redeem').set('Authorization', `Bearer ${user.token}`).send({ amount, reward });
  const balanceAfter = async (userId: string) => balances(t.app, userId);

  it('announces a sign-up attributed to a referrer: created, created + flagged, or rejected for a self-referral', async () => {
    const owner = await signUp();
    const friend = await signUp({ code: owner.referralCode });
    const twin = await signUp({ code: owner.referralCode, device: owner.device });
    const self = await signUp({ code: owner.referralCode, email: owner.email.replace('@', '+self@') });
    expect([friend.referral, twin.referral, self.referral]).toEqual([
      { status: 'pending', reasons: [] },
      { status: 'flagged', reasons: ['SAME_DEVICE'] },
      { status: 'rejected', reasons: ['SELF_REFERRAL'] },
    ]);
    await settled();
    const parties = async (referee: Person) => ({ referralId: await referralOf(referee.id), referrerId: owner.id, refereeId: referee.id });
    expect(typed(about(all, friend.id))).toEqual([['referral.created', { ...(await parties(friend)), status: 'pending' }]]);
    expect(typed(about(all, twin.id))).toEqual(
      byType([
        ['referral.created', { ...(await parties(twin)), status: 'flagged' }],
        ['referral.flagged', { ...(await parties(twin)), reasons: ['SAME_DEVICE'] }],
      ]),
    );
    expect(typed(about(all, self.id))).toEqual([['referral.rejected', await parties(self)]]);
  });

  it('announces a converting purchase once: referral.converted and points.earned per award, with the purchase id', async () => {
    const { top, referrer, buyer, referral } = await chain();
    await settled();
    const before = all.received.length;
    const { orderId, purchaseId } = await purchase(buyer, 10_000);
    const awards = await awardsOf(orderId);
    expect(awards.length).toBeGreaterThanOrEqual(3);
    await settled();
    const events = bodies(all).slice(before);
    expect(ofType(events, 'referral.converted').map((e) => e.data)).toEqual([{ referralId: referral, referrerId: referrer.id, refereeId: buyer.id, purchaseId }]);
    const earned = ofType(events, 'points.earned');
    expect(earned).toHaveLength(awards.length);
    for (const award of awards) {
      const [e] = earned.filter((x) => x.data.transactionId === award.id);
      expect(e.data).toMatchObject({ userId: award.userId, amount: award.amount, source: award.source, status: 'posted', purchaseId });
      expect(Object.keys(e.data).sort()).toEqual(['amount', 'balanceAfter', 'purchaseId', 'source', 'status', 'transactionId', 'userId']);
    }
    for (const user of [top, referrer, buyer]) {
      const mine = earned.filter((e) => e.data.userId === user.id);
      expect(mine.length).toBeGreaterThan(0);
      // The last entry's balances are the user's balances now.
      const last = mine.reduce((a, b) => (b.data.balanceAfter.total > a.data.balanceAfter.total ? b : a));
      expect(last.data.balanceAfter).toEqual(await balanceAfter(user.id));
    }
    // 600 points take the referrer from Bronze (0) to Silver (500).
    expect(ofType(events, 'level.changed').filter((e) => e.data.userId === referrer.id).map((e) => e.data)).toEqual([
      { userId: referrer.id, previousLevel: 1, level: 2, levelName: 'Silver', direction: 'up' },
    ]);
  });

  it('announces a held award as pending and again as posted when the review approves it', async () => {
    const { referrer, buyer, referral } = await chain(true);
    const { orderId, purchaseId } = await purchase(buyer, 10_000);
    const awards = await awardsOf(orderId);
    expect(awards.every((a) => a.status === 'pending')).toBe(true);
    await settled();
    const before = all.received.length;
    const held = ofType(about(all, referrer.id, buyer.id), 'points.earned').filter((e) => e.data.purchaseId === purchaseId);
    const heldHere = awards.filter((a) => [referrer.id, buyer.id].includes(a.userId));
    expect(held.map((e) => [e.data.transactionId, e.data.status]).sort()).toEqual(heldHere.map((a) => [a.id, 'pending']).sort());
    for (const e of held) expect(e.data.balanceAfter).toMatchObject({ total: 0, available: 0 });
    // A flagged referral still converts on the purchase; its awards wait for the review.
    expect(ofType(about(all, buyer.id), 'referral.converted').map((e) => e.data)).toEqual([{ referralId: referral, referrerId: referrer.id, refereeId: buyer.id, purchaseId }]);

    await t.http.post(`/api/admin/referrals/${referral}/approve`).set(asAdmin).expect(200);
    await settled();
    const events = bodies(all).slice(before);
    expect(ofType(events, 'referral.approved').map((e) => e.data)).toEqual([{ referralId: referral, referrerId: referrer.id, refereeId: buyer.id, status: 'converted' }]);
    const posted = ofType(events, 'points.earned');
    expect(posted.map((e) => [e.data.transactionId, e.data.status, e.data.purchaseId]).sort()).toEqual(awards.map((a) => [a.id, 'posted', purchaseId]).sort());
    for (const e of posted) expect(e.data.amount).toBe(awards.find((a) => a.id === e.data.transactionId)!.amount);
    expect(ofType(events, 'referral.rejected')).toEqual([]);
  });

  it('announces a review that rejects, and nothing for the awards it voids', async () => {
    const { referrer, buyer, referral } = await chain(true);
    const { orderId } = await purchase(buyer, 10_000);
    await settled();
    const before = all.received.length;
    await t.http.post(`/api/admin/referrals/${referral}/reject`).set(asAdmin).expect(200);
    expect((await awardsOf(orderId)).every((a) => a.status === 'voided')).toBe(true);
    await settled();
    const events = bodies(all).slice(before);
    expect(typed(events)).toEqual([['referral.rejected', { referralId: referral, referrerId: referrer.id, refereeId: buyer.id }]]);
  });

  it('announces a redemption: points.spent naming the redemption and redemption.created, no discount code', async () => {
    const user = await signUp();
    await adminAdd(user.id, 300).expect(201);
    await settled();
    const before = all.received.length;
    const res = await redeem(user, 120).expect(201);
    expect(res.body.reward.code).toMatch(/^RWD-/);
    await settled();
    const [row] = await ds.query(`SELECT id, transaction_id FROM reward_redemptions WHERE user_id = $1`, [user.id]);
    expect(row.transaction_id).toBe(res.body.transaction.id);
    const events = bodies(all).slice(before);
    expect(events.map((e) => e.type).sort()).toEqual(['points.spent', 'redemption.created']);
    expect(ofType(events, 'points.spent')[0].data).toEqual({
      userId: user.id,
      transactionId: row.transaction_id,
      amount: -120,
      source: 'redeem',
      redemptionId: row.id,
      balanceAfter: { total: 300, available: 180, pending: 0, debt: 0 },
    });
    expect(ofType(events, 'redemption.created')[0].data).toEqual({
      redemptionId: row.id,
      userId: user.id,
      transactionId: row.transaction_id,
      type: 'discount-code',
      value: 120,
      points: 120,
    });
    expect(JSON.stringify(events)).not.toContain(res.body.reward.code);
  });

  it('announces an admin grant, a level reached by it and an admin deduction', async () => {
    const user = await signUp();
    await adminAdd(user.id, 500).expect(201);
    await adminAdd(user.id, -70).expect(201);
    await settled();
    const [grant, deduct] = await ds.query(`SELECT id FROM point_transactions WHERE user_id = $1 ORDER BY created_at, amount DESC`, [user.id]);
    expect(typed(about(all, user.id))).toEqual(byType([
      [
        'points.earned',
        { userId: user.id, transactionId: grant.id, amount: 500, source: 'admin', status: 'posted', purchaseId: null, balanceAfter: { total: 500, available: 500, pending: 0, debt: 0 } },
      ],
      ['level.changed', { userId: user.id, previousLevel: 1, level: 2, levelName: 'Silver', direction: 'up' }],
      [
        'points.spent',
        { userId: user.id, transactionId: deduct.id, amount: -70, source: 'admin', redemptionId: null, balanceAfter: { total: 500, available: 430, pending: 0, debt: 0 } },
      ],
    ]));
  });

  it('announces a refund as points.clawed_back per award with the debt it adds (and the level lost)', async () => {
    const { top, referrer, buyer } = await chain();
    const { orderId, purchaseId } = await purchase(buyer, 10_000);
    const awards = await awardsOf(orderId);
    const referrerPoints = (await balanceAfter(referrer.id)).available;
    expect(referrerPoints).toBeGreaterThanOrEqual(500);
    await redeem(referrer, referrerPoints, 'service-credit').expect(201);
    await settled();
    const before = all.received.length;
    await signedPost(t.http, '/api/purchases/refunded', { orderId }).expect(202);
    await jobsIdle(t.app);
    await settled();
    const events = bodies(all).slice(before);
    const clawed = ofType(events, 'points.clawed_back');
    const clawbacks = await ds.query(
      `SELECT t.id, t.user_id AS "userId", t.amount::int AS amount, l.award_id FROM purchase_award_clawbacks l JOIN point_transactions t ON t.id = l.ledger_entry_id
        JOIN purchase_awards a ON a.id = l.award_id WHERE a.purchase_id = $1`,
      [purchaseId],
    );
    expect(clawbacks).toHaveLength(awards.length);
    expect(clawed.map((e) => e.data.transactionId).sort()).toEqual(clawbacks.map((c: { id: string }) => c.id).sort());
    for (const e of clawed) {
      expect(e.data).toMatchObject({ purchaseId, amount: clawbacks.find((c: { id: string }) => c.id === e.data.transactionId).amount });
      expect(Object.keys(e.data).sort()).toEqual(['amount', 'balanceAfter', 'debtAdded', 'purchaseId', 'transactionId', 'userId']);
    }
    // The referrer had spent it all: every point taken back is debt; the others still had theirs.
    const debtOf = (userId: string) => clawed.filter((e) => e.data.userId === userId).reduce((s, e) => s + e.data.debtAdded, 0);
    expect(debtOf(referrer.id)).toBe(referrerPoints);
    expect(debtOf(buyer.id)).toBe(0);
    expect(debtOf(top.id)).toBe(0);
    expect((await balanceAfter(referrer.id)).debt).toBe(referrerPoints);
    expect(ofType(events, 'level.changed').filter((e) => e.data.userId === referrer.id).map((e) => e.data)).toEqual([
      { userId: referrer.id, previousLevel: 2, level: 1, levelName: 'Bronze', direction: 'down' },
    ]);
    expect(ofType(events, 'points.earned')).toEqual([]);
  });

  describe('a change that rolls back sends nothing', () => {
    it('a redemption refused with INSUFFICIENT_POINTS', async () => {
      const user = await signUp();
      await adminAdd(user.id, 50).expect(201);
      const res = await redeem(user, 51);
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('INSUFFICIENT_POINTS');
      await redeem(user, 20).expect(201);
      await settled();
      expect(byType(about(all, user.id).map((e) => [e.type, e.data.amount ?? e.data.value]))).toEqual([
        ['points.earned', 50],
        ['points.spent', -20],
        ['redemption.created', 20],
      ]);
      const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM webhook_events WHERE data->>'userId' = $1`, [user.id]);
      expect(n).toBe(3);
    });

    it('an admin grant whose audit row cannot be written', async () => {
      const user = await signUp();
      await ds.query(`
        CREATE FUNCTION test_refuse_audit() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF NEW.details->>'reason' = 'refused by audit' THEN RAISE EXCEPTION 'audit refused'; END IF;
          RETURN NEW;
        END $$`);
      await ds.query(`CREATE TRIGGER test_refuse_audit BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION test_refuse_audit()`);
      try {
        // 600 would also reach Silver: neither the grant nor the level may be announced.
        expect((await adminAdd(user.id, 600, 'refused by audit')).status).toBe(500);
      } finally {
        await ds.query(`DROP TRIGGER test_refuse_audit ON audit_log`);
        await ds.query(`DROP FUNCTION test_refuse_audit()`);
      }
      await adminAdd(user.id, 40).expect(201);
      await settled();
      expect(about(all, user.id).map((e) => [e.type, e.data.amount])).toEqual([['points.earned', 40]]);
      const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM webhook_events WHERE data->>'userId' = $1`, [user.id]);
      expect(n).toBe(1);
    });
  });

  describe('subscriptions', () => {
    it('sends an endpoint subscribed to points.spent only that type, signed with its own secret', async () => {
      const spentOnly = await receiver();
      const { id, secret } = await endpoint(spentOnly.url, ['points.spent']);
      const user = await signUp();
      await adminAdd(user.id, 200).expect(201);
      await adminAdd(user.id, -30).expect(201);
      await redeem(user, 10).expect(201);
      await settled();
      expect(about(all, user.id).map((e) => e.type).sort()).toEqual(['points.earned', 'points.spent', 'points.spent', 'redemption.created']);
      const got = spentOnly.received.filter((w) => JSON.parse(w.body).data.userId === user.id);
      expect(got.map((w) => JSON.parse(w.body).data.amount).sort()).toEqual([-10, -30]);
      expect(spentOnly.received.map((w) => JSON.parse(w.body).type).every((type) => type === 'points.spent')).toBe(true);
      for (const w of got) {
        expect(signatureValid(secret, w.headers, w.body)).toBe(true);
        expect(signatureValid(allEndpoint.secret, w.headers, w.body)).toBe(false);
      }
      // Each endpoint got its own copy of the one event.
      const shared = got.map((w) => w.headers['webhook-id']);
      expect(all.received.filter((w) => shared.includes(w.headers['webhook-id']))).toHaveLength(2);
      await t.http.delete(`/api/admin/webhooks/${id}`).set(asAdmin).expect(204);
    });

    it('records nothing while no endpoint is enabled, and delivers new changes once one is enabled again', async () => {
      await settled();
      const { body } = await t.http.get('/api/admin/webhooks?limit=100').set(asAdmin).expect(200);
      for (const e of body.items.filter((x: { enabled: boolean }) => x.enabled)) await setEnabled(e.id, false);
      // Any refresh that began before the change has been superseded.
      await sleep(1_200);
      const user = await signUp();
      const eventsBefore = (await ds.query(`SELECT count(*)::int AS n FROM webhook_events`))[0].n;
      await adminAdd(user.id, 100).expect(201);
      await adminAdd(user.id, -10).expect(201);
      const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM webhook_events`);
      expect(n).toBe(eventsBefore);

      await setEnabled(allEndpoint.id, true);
      await sleep(1_200);
      await adminAdd(user.id, 25).expect(201);
      await settled();
      expect(about(all, user.id).map((e) => [e.type, e.data.amount])).toEqual([['points.earned', 25]]);
    });
  });

  it('delivered every recorded event exactly once to the 2xx receiver, signed, with no email, password hash or discount code', async () => {
    await settled();
    const ids = all.received.map((w) => String(w.headers['webhook-id']));
    const counts = new Map<string, number>();
    for (const id of ids) counts.set(id, (counts.get(id) ?? 0) + 1);
    expect([...counts.values()].filter((c) => c !== 1)).toEqual([]);
    const recorded = (await ds.query(`SELECT id FROM webhook_events WHERE type <> 'webhook.test'`)).map((r: { id: string }) => r.id);
    expect([...counts.keys()].sort()).toEqual(recorded.sort());
    const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM webhook_deliveries WHERE endpoint_id = $1 AND (status <> 'succeeded' OR attempt <> 1)`, [allEndpoint.id]);
    expect(n).toBe(0);
    for (const w of all.received) {
      expect(signatureValid(allEndpoint.secret, w.headers, w.body)).toBe(true);
      expect(JSON.parse(w.body).id).toBe(w.headers['webhook-id']);
    }

    const users: Array<{ email: string; password_hash: string | null }> = await ds.query(`SELECT email, password_hash FROM users`);
    const codes: string[] = (await ds.query(`SELECT code FROM reward_redemptions WHERE code IS NOT NULL`)).map((r: { code: string }) => r.code);
    expect(users.filter((u) => u.password_hash).length).toBeGreaterThan(5);
    expect(codes.length).toBeGreaterThan(0);
    const secrets = [...users.flatMap((u) => [u.email, u.email.split('@')[0], u.password_hash ?? '']), ...codes].filter((s) => s.length > 0);
    const everyBody = receivers.flatMap((r) => r.received.map((w) => w.body));
    expect(everyBody.length).toBeGreaterThan(30);
    for (const body of everyBody) {
      const lower = body.toLowerCase();
      for (const s of secrets) expect(lower.includes(s.toLowerCase()), `a payload holds ${s}`).toBe(false);
      expect(body).not.toMatch(/"(email|password\w*|passwordHash|code|discountCode)"\s*:/i);
      expect(body).not.toMatch(/\$2[aby]\$|\$argon2|RWD-/);
    }
  });
});
