import { randomBytes, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSerializable } from '../src/database/serializable';
import { registry } from '../src/metrics/metrics';
import { WebhookEventInput } from '../src/common/events/outbound-events';
import { WebhookJobs } from '../src/webhooks/webhook-jobs';
import { WebhookOutbox } from '../src/webhooks/webhook-outbox';
import { DEFAULT_DELIVERY_POLICY, WEBHOOK_DELIVERY_POLICY } from '../src/webhooks/webhook-policy';
import { createTestApp, TestApp } from './utils/test-app';
import { createTestUser, TestUser } from './utils/test-users';
import { until } from './utils/wait';
import { startReceiver, verifyStandardWebhook, WebhookReceiver } from './utils/webhook-receiver';

// The receivers listen on loopback, which the SSRF guard refuses unless this is set.
process.env.WEBHOOK_ALLOW_PRIVATE_URLS = 'true';

/*
 * Outbound webhooks end to end: events recorded through the outbox in a transaction reach real
 * HTTP receivers on loopback, signed per Standard Webhooks, retried with the same webhook-id.
 * Retries are shortened (1 s, capped at 2 s) through the policy provider; the 10 s timeout is real.
 */
describe('outbound webhook deliveries', () => {
  let t: TestApp;
  let admin: TestUser;
  let ds: DataSource;
  let outbox: WebhookOutbox;
  const receivers: WebhookReceiver[] = [];

  beforeAll(async () => {
    t = await createTestApp({
      customize: (b) =>
        b.overrideProvider(WEBHOOK_DELIVERY_POLICY).useValue({ ...DEFAULT_DELIVERY_POLICY, retryDelaySeconds: 1, retryDelayMaxSeconds: 2, dispatchIntervalMs: 100 }),
    });
    admin = await createTestUser(t.app, { role: 'admin' });
    ds = t.app.get(DataSource);
    outbox = t.app.get(WebhookOutbox);
  });
  afterAll(async () => {
    await t?.close();
    for (const r of receivers) await r.close();
  });

  async function receiver(...args: Parameters<typeof startReceiver>) {
    const r = await startReceiver(...args);
    receivers.push(r);
    return r;
  }

  async function endpoint(url: string, events: string[] = ['*']): Promise<{ id: string; secret: string }> {
    const res = await t.http.post('/api/admin/webhooks').set('Authorization', `Bearer ${admin.token}`).send({ url, events }).expect(201);
    return res.body;
  }

  const record = (events: WebhookEventInput[]) => runSerializable(ds, (m) => outbox.record(m, events));

  const earned = (userId = randomUUID()): WebhookEventInput => ({
    type: 'points.earned',
    data: { userId, transactionId: randomUUID(), amount: 100, source: 'purchase', status: 'posted', purchaseId: randomUUID(), balanceAfter: { total: 100, available: 100, pending: 0, debt: 0 } },
  });

  const about = (r: WebhookReceiver, userId: string) => r.received.filter((w) => JSON.parse(w.body).data.userId === userId);
  const deliveries = async (endpointId: string) =>
    (await t.http.get(`/api/admin/webhooks/${endpointId}/deliveries`).set('Authorization', `Bearer ${admin.token}`).expect(200)).body.items;
  const counter = async (result: string) =>
    (await registry.getSingleMetric('webhook_deliveries_total')!.get()).values.find((v) => v.labels.result === result)?.value ?? 0;

  it('delivers each recorded event once, signed so that a Standard Webhooks verifier accepts it', async () => {
    const r = await receiver();
    const { id, secret } = await endpoint(r.url);
    const successes = await counter('success');
    const userId = randomUUID();
    const event = earned(userId);
    await record([event, { type: 'level.changed', data: { userId, previousLevel: 1, level: 2, levelName: 'Silver', direction: 'up' } }]);
    const got = await until(() => about(r, userId), (w) => w.length === 2);
    for (const w of got) {
      expect(verifyStandardWebhook(secret, w.headers, w.body)).toBe(true);
      expect(verifyStandardWebhook(`whsec_${randomBytes(32).toString('base64')}`, w.headers, w.body)).toBe(false);
      expect(verifyStandardWebhook(secret, w.headers, `${w.body} `)).toBe(false);
      const body = JSON.parse(w.body);
      expect(w.headers['webhook-id']).toBe(body.id);
      expect(w.headers['content-type']).toBe('application/json');
      expect(Number(w.headers['webhook-timestamp'])).toBeCloseTo(Date.now() / 1000, -2);
      expect(Object.keys(body).sort()).toEqual(['createdAt', 'data', 'id', 'type']);
    }
    const byType = Object.fromEntries(got.map((w) => [JSON.parse(w.body).type, JSON.parse(w.body)]));
    expect(byType['points.earned'].data).toEqual(event.data);
    expect(byType['level.changed'].data).toMatchObject({ userId, level: 2 });
    await new Promise((res) => setTimeout(res, 1500));
    expect(about(r, userId)).toHaveLength(2);
    const log = await until(() => deliveries(id), (items) => items.filter((d: { status: string }) => d.status === 'succeeded').length === 2);
    expect(log[0]).toMatchObject({ attempt: 1, status: 'succeeded', responseStatus: 204, error: null });
    expect(await counter('success')).toBeGreaterThanOrEqual(successes + 2);
  });

  it('sends an endpoint only the types it subscribed to', async () => {
    const r = await receiver();
    await endpoint(r.url, ['level.changed']);
    const userId = randomUUID();
    await record([earned(userId), { type: 'level.changed', data: { userId, previousLevel: 2, level: 1, levelName: 'Bronze', direction: 'down' } }]);
    const got = await until(() => about(r, userId), (w) => w.length >= 1);
    await new Promise((res) => setTimeout(res, 1000));
    expect(about(r, userId).map((w) => JSON.parse(w.body).type)).toEqual(['level.changed']);
    expect(got).toHaveLength(1);
  });

  it('records nothing for a transaction that rolls back', async () => {
    const r = await receiver();
    await endpoint(r.url);
    const rolledBack = randomUUID();
    await expect(
      runSerializable(ds, async (m) => {
        await outbox.record(m, [earned(rolledBack)]);
        throw new Error('the change fails after recording its event');
      }),
    ).rejects.toThrow('the change fails');
    const committed = randomUUID();
    await record([earned(committed)]);
    await until(() => about(r, committed), (w) => w.length === 1);
    await new Promise((res) => setTimeout(res, 500));
    expect(about(r, rolledBack)).toHaveLength(0);
    const [{ count }] = await ds.query(`SELECT count(*)::int AS count FROM webhook_events WHERE data->>'userId' = $1`, [rolledBack]);
    expect(count).toBe(0);
  });

  it('retries a failing receiver with back-off and the same webhook-id until it recovers; the receiver dedups on it', async () => {
    const failures = await counter('failure');
    const r = await receiver((_req, res, n) => (n < 2 ? res.writeHead(503).end('x'.repeat(10_000)) : res.writeHead(200).end('ok')));
    const { id } = await endpoint(r.url);
    const userId = randomUUID();
    await record([earned(userId)]);
    const got = await until(() => about(r, userId), (w) => w.length === 3, 30_000);
    expect(new Set(got.map((w) => w.headers['webhook-id'])).size).toBe(1);
    const seen = new Map(got.map((w) => [w.headers['webhook-id'], w]));
    expect(seen.size).toBe(1);
    expect(got[1].at - got[0].at).toBeGreaterThanOrEqual(900);
    const [log] = await until(() => deliveries(id), (items) => items[0]?.status === 'succeeded');
    expect(log).toMatchObject({ attempt: 3, status: 'succeeded', responseStatus: 200, error: null });
    expect(await counter('failure')).toBeGreaterThanOrEqual(failures + 2);
  });

  it('keeps at most 4 KB of a response body', async () => {
    const r = await receiver((_req, res) => res.writeHead(500).end('y'.repeat(100_000)));
    const { id } = await endpoint(r.url);
    await record([earned()]);
    await until(() => deliveries(id), (items) => items[0]?.attempt >= 1);
    const [row] = await ds.query(`SELECT response_status, length(response_body) AS length FROM webhook_deliveries WHERE endpoint_id = $1`, [id]);
    expect(row).toEqual({ response_status: 500, length: 4096 });
    await t.http.delete(`/api/admin/webhooks/${id}`).set('Authorization', `Bearer ${admin.token}`).expect(204);
  });

  it('cuts a receiver that does not answer at 10 s and delivers the same webhook-id on the retry', async () => {
    const r = await receiver((_req, res, n) => (n === 0 ? undefined : res.writeHead(200).end()));
    const { id } = await endpoint(r.url);
    const userId = randomUUID();
    await record([earned(userId)]);
    const got = await until(() => about(r, userId), (w) => w.length === 2, 25_000);
    expect(got[1].headers['webhook-id']).toBe(got[0].headers['webhook-id']);
    expect(got[1].at - got[0].at).toBeGreaterThanOrEqual(10_000);
    expect(got[1].at - got[0].at).toBeLessThan(14_000);
    const [log] = await until(() => deliveries(id), (items) => items[0]?.status === 'succeeded');
    expect(log.attempt).toBe(2);
  }, 40_000);

  it('follows no redirect: a 3xx is a failure and its target is never called', async () => {
    const target = await receiver();
    const r = await receiver((_req, res) => res.writeHead(302, { location: target.url }).end());
    const { id } = await endpoint(r.url, ['referral.created']);
    await record([{ type: 'referral.created', data: { referralId: randomUUID(), referrerId: randomUUID(), refereeId: randomUUID(), status: 'pending' } }]);
    const [log] = await until(() => deliveries(id), (items) => items[0]?.attempt >= 2);
    expect(log).toMatchObject({ status: 'retrying', responseStatus: 302, error: expect.stringContaining('redirect') });
    expect(r.received.length).toBeGreaterThanOrEqual(2);
    expect(target.received).toHaveLength(0);
    await t.http.delete(`/api/admin/webhooks/${id}`).set('Authorization', `Bearer ${admin.token}`).expect(204);
  });

  it('sends webhook.test to the tested endpoint only', async () => {
    const r = await receiver();
    const other = await receiver();
    const { id, secret } = await endpoint(r.url);
    await endpoint(other.url);
    const res = await t.http.post(`/api/admin/webhooks/${id}/test`).set('Authorization', `Bearer ${admin.token}`).expect(202);
    const [w] = await until(() => r.received.filter((x) => JSON.parse(x.body).type === 'webhook.test'), (x) => x.length === 1);
    expect(w.headers['webhook-id']).toBe(res.body.eventId);
    expect(verifyStandardWebhook(secret, w.headers, w.body)).toBe(true);
    expect(JSON.parse(w.body).data.endpointId).toBe(id);
    await new Promise((done) => setTimeout(done, 500));
    expect(other.received.filter((x) => JSON.parse(x.body).type === 'webhook.test')).toHaveLength(0);
  });

  it('keeps the delivery log 30 days: the daily cleanup removes older deliveries and events only', async () => {
    const r = await receiver();
    const { id } = await endpoint(r.url);
    const userId = randomUUID();
    await record([earned(userId)]);
    await until(() => deliveries(id), (items) => items[0]?.status === 'succeeded');
    const [old] = await ds.query(`INSERT INTO webhook_events (type, data, created_at, dispatched_at) VALUES ('points.earned', '{}', now() - interval '31 days', now() - interval '31 days') RETURNING id`);
    await ds.query(`INSERT INTO webhook_deliveries (endpoint_id, event_id, status, created_at) VALUES ($1, $2, 'succeeded', now() - interval '31 days')`, [id, old.id]);
    expect(await deliveries(id)).toHaveLength(2);
    await t.app.get(WebhookJobs).cleanup();
    const log = await deliveries(id);
    expect(log).toHaveLength(1);
    expect(log[0].status).toBe('succeeded');
    const [{ count }] = await ds.query(`SELECT count(*)::int AS count FROM webhook_events WHERE id = $1 OR data->>'userId' = $2`, [old.id, userId]);
    expect(count).toBe(1);
  });

  describe('auto-disable', () => {
    const notifications = async () =>
      (await ds.query(`SELECT message FROM notifications WHERE user_id = $1 AND type = 'webhook-disabled' ORDER BY created_at`, [admin.id])) as Array<{ message: string }>;

    async function failingEndpoint() {
      const r = await receiver((_req, res) => res.writeHead(500).end());
      return { r, ...(await endpoint(r.url)) };
    }
    const endpointState = async (id: string) =>
      (await t.http.get('/api/admin/webhooks?limit=100').set('Authorization', `Bearer ${admin.token}`).expect(200)).body.items.find(
        (e: { id: string }) => e.id === id,
      );

    it('disables an endpoint at its 100th failure in a row, tells the admins, and re-enabling resets the streak', async () => {
      const { r, id } = await failingEndpoint();
      await ds.query(`UPDATE webhook_endpoints SET failure_streak = 98, failing_since = now() WHERE id = $1`, [id]);
      const before = (await notifications()).length;
      const userId = randomUUID();
      await record([earned(userId)]);
      const state = await until(() => endpointState(id), (e) => e.enabled === false, 20_000);
      expect(state).toMatchObject({ enabled: false, disabledReason: 'consecutive-failures', failureStreak: 100 });
      expect(about(r, userId)).toHaveLength(2);
      const notes = await notifications();
      expect(notes).toHaveLength(before + 1);
      expect(notes.at(-1)!.message).toContain(r.url);
      const [log] = await deliveries(id);
      expect(log).toMatchObject({ status: 'failed', attempt: 2 });

      // Disabled: a new event is not sent to it.
      const ignored = randomUUID();
      await record([earned(ignored)]);
      await new Promise((done) => setTimeout(done, 1500));
      expect(about(r, ignored)).toHaveLength(0);

      r.behave((_req, res) => res.writeHead(200).end());
      const patched = await t.http.patch(`/api/admin/webhooks/${id}`).set('Authorization', `Bearer ${admin.token}`).send({ enabled: true }).expect(200);
      expect(patched.body).toMatchObject({ enabled: true, disabledReason: null, failureStreak: 0 });
      const after = randomUUID();
      await record([earned(after)]);
      await until(() => about(r, after), (w) => w.length === 1);
      expect(await endpointState(id)).toMatchObject({ enabled: true, failureStreak: 0 });
    });

    it('disables an endpoint that has failed every attempt for 3 days', async () => {
      const { id } = await failingEndpoint();
      await ds.query(`UPDATE webhook_endpoints SET failure_streak = 5, failing_since = now() - interval '3 days 1 minute' WHERE id = $1`, [id]);
      const before = (await notifications()).length;
      await record([earned()]);
      const state = await until(() => endpointState(id), (e) => e.enabled === false, 20_000);
      expect(state.disabledReason).toBe('failing-for-3-days');
      expect(await notifications()).toHaveLength(before + 1);
    });

    it('does not disable an endpoint whose failures are broken by a success', async () => {
      const r = await receiver((_req, res, n) => res.writeHead(n === 0 ? 500 : 200).end());
      const { id } = await endpoint(r.url);
      await ds.query(`UPDATE webhook_endpoints SET failure_streak = 98, failing_since = now() WHERE id = $1`, [id]);
      const userId = randomUUID();
      await record([earned(userId)]);
      await until(() => about(r, userId), (w) => w.length === 2);
      expect(await until(() => endpointState(id), (e) => e.failureStreak === 0)).toMatchObject({ enabled: true, disabledReason: null });
    });
  });
});
