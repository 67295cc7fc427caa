import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HostResolver, systemResolver, WEBHOOK_HOST_RESOLVER } from '../src/webhooks/webhook-policy';
import { createTestApp, TestApp } from './utils/test-app';
import { createTestUser, TestUser } from './utils/test-users';

/** Names the tests make resolve anywhere; every other name goes to the system resolver (localhost included). */
const NAMES: Record<string, string[]> = {
  'hooks.example.test': ['93.184.216.34', '2606:2800:220:1:248:1893:25c8:1946'],
  'internal.example.test': ['10.20.30.40'],
  'mixed.example.test': ['93.184.216.34', '192.168.1.10'],
  'metadata.example.test': ['169.254.169.254'],
  'mapped.example.test': ['::ffff:127.0.0.1'],
};
const resolver: HostResolver = async (name) =>
  NAMES[name] ? NAMES[name].map((address) => ({ address, family: address.includes(':') ? 6 : 4 })) : systemResolver(name);

/*
 * The admin API of webhook endpoints with the SSRF guard on (WEBHOOK_ALLOW_PRIVATE_URLS unset):
 * authorisation, validation, secrets shown once and stored encrypted, the URL checks.
 */
describe('admin webhook endpoints', () => {
  let t: TestApp;
  let admin: TestUser;
  let user: TestUser;

  beforeAll(async () => {
    delete process.env.WEBHOOK_ALLOW_PRIVATE_URLS;
    t = await createTestApp({ customize: (b) => b.overrideProvider(WEBHOOK_HOST_RESOLVER).useValue(resolver) });
    admin = await createTestUser(t.app, { role: 'admin' });
    user = await createTestUser(t.app);
  });
  afterAll(() => t?.close());

  const as = <R extends { set(k: string, v: string): R }>(req: R, who: TestUser = admin) => req.set('Authorization', `Bearer ${who.token}`);
  const create = (body: object) => as(t.http.post('/api/admin/webhooks')).send(body);

  it('answers 401 anonymous and 403 for non-admins on every endpoint', async () => {
    const id = randomUUID();
    for (const make of [
      () => t.http.post('/api/admin/webhooks').send({ url: 'https://hooks.example.test/x', events: ['*'] }),
      () => t.http.get('/api/admin/webhooks'),
      () => t.http.patch(`/api/admin/webhooks/${id}`).send({ enabled: false }),
      () => t.http.delete(`/api/admin/webhooks/${id}`),
      () => t.http.get(`/api/admin/webhooks/${id}/deliveries`),
      () => t.http.post(`/api/admin/webhooks/${id}/test`),
    ]) {
      const anonymous = await make();
      expect(anonymous.status).toBe(401);
      expect(anonymous.body.code).toBe('UNAUTHORIZED');
      const forbidden = await as(make(), user);
      expect(forbidden.status).toBe(403);
      expect(forbidden.body.code).toBe('FORBIDDEN');
    }
    const [{ count }] = await t.app.get(DataSource).query(`SELECT count(*)::int AS count FROM webhook_endpoints`);
    expect(count).toBe(0);
  });

  it('shows the secret once, as whsec_ + base64 of 32 bytes, and stores it only encrypted', async () => {
    const res = await create({ url: 'https://hooks.example.test/referrals', events: ['points.earned', 'referral.created'], description: 'CRM' }).expect(201);
    expect(res.body).toMatchObject({ url: 'https://hooks.example.test/referrals', events: ['points.earned', 'referral.created'], enabled: true, description: 'CRM' });
    expect(res.body.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(res.body.secret.slice(6), 'base64')).toHaveLength(32);

    const list = await as(t.http.get('/api/admin/webhooks')).expect(200);
    const listed = list.body.items.find((e: { id: string }) => e.id === res.body.id);
    expect(listed).toMatchObject({ enabled: true, disabledReason: null, lastDeliveryAt: null, failureStreak: 0 });
    expect(listed).not.toHaveProperty('secret');
    const patched = await as(t.http.patch(`/api/admin/webhooks/${res.body.id}`)).send({ events: ['*'] }).expect(200);
    expect(patched.body).not.toHaveProperty('secret');
    expect(patched.body.events).toEqual(['*']);

    const [row] = await t.app.get(DataSource).query(`SELECT encode(secret_encrypted, 'base64') AS stored FROM webhook_endpoints WHERE id = $1`, [res.body.id]);
    const secretPart = res.body.secret.slice(6);
    expect(row.stored).not.toContain(secretPart);
    expect(Buffer.from(row.stored, 'base64').toString('latin1')).not.toContain('whsec_');
    const two = await create({ url: 'https://hooks.example.test/other', events: ['*'] }).expect(201);
    expect(two.body.secret).not.toBe(res.body.secret);
  });

  it.each([
    ['http://127.0.0.1/hook'],
    ['http://[::1]/hook'],
    ['http://169.254.169.254/latest/meta-data'],
    ['http://10.0.0.1/hook'],
    ['http://172.16.5.4/hook'],
    ['http://192.168.0.1/hook'],
    ['http://100.64.0.1/hook'],
    ['http://[fe80::1]/hook'],
    ['http://[fd00::1]/hook'],
    ['http://[::ffff:169.254.169.254]/hook'],
    ['http://0.0.0.0/hook'],
    ['http://localhost:3000/hook'],
    ['http://internal.example.test/hook'],
    ['http://mixed.example.test/hook'],
    ['http://metadata.example.test/hook'],
    ['http://mapped.example.test/hook'],
  ])('refuses %s with 400 WEBHOOK_URL_NOT_ALLOWED', async (url) => {
    const res = await create({ url, events: ['*'] });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('WEBHOOK_URL_NOT_ALLOWED');
  });

  it('refuses a URL change to a private address, keeping the endpoint as it was', async () => {
    const { body } = await create({ url: 'https://hooks.example.test/a', events: ['*'] }).expect(201);
    const res = await as(t.http.patch(`/api/admin/webhooks/${body.id}`)).send({ url: 'http://127.0.0.1:9/x' });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('WEBHOOK_URL_NOT_ALLOWED');
    const list = await as(t.http.get('/api/admin/webhooks?limit=100')).expect(200);
    expect(list.body.items.find((e: { id: string }) => e.id === body.id).url).toBe('https://hooks.example.test/a');
  });

  it.each([
    [{ url: 'ftp://hooks.example.test/x', events: ['*'] }, 'INVALID_WEBHOOK_URL'],
    [{ url: 'not a url', events: ['*'] }, 'INVALID_WEBHOOK_URL'],
    [{ url: 'https://user:pw@hooks.example.test/x', events: ['*'] }, 'INVALID_WEBHOOK_URL'],
    [{ url: 'https://no-such-host.invalid/x', events: ['*'] }, 'INVALID_WEBHOOK_URL'],
    [{ url: 'https://hooks.example.test/x', events: [] }, 'VALIDATION_FAILED'],
    [{ url: 'https://hooks.example.test/x', events: ['points.stolen'] }, 'VALIDATION_FAILED'],
    [{ url: 'https://hooks.example.test/x', events: ['webhook.test'] }, 'VALIDATION_FAILED'],
    [{ url: 'https://hooks.example.test/x', events: ['*', '*'] }, 'VALIDATION_FAILED'],
    [{ url: 'https://hooks.example.test/x', events: 'points.earned' }, 'VALIDATION_FAILED'],
    [{ url: 'https://hooks.example.test/x' }, 'VALIDATION_FAILED'],
    [{ events: ['*'] }, 'VALIDATION_FAILED'],
    [{ url: 'https://hooks.example.test/x', events: ['*'], description: 'd'.repeat(501) }, 'VALIDATION_FAILED'],
    [{ url: 'https://hooks.example.test/x', events: ['*'], secret: 'whsec_mine' }, 'VALIDATION_FAILED'],
    [{ url: `https://hooks.example.test/${'x'.repeat(2050)}`, events: ['*'] }, 'VALIDATION_FAILED'],
  ])('answers 400 for %j', async (body, code) => {
    const res = await create(body);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe(code);
  });

  it('answers 404 for an unknown or malformed id and 400 for bad PATCH bodies and list queries', async () => {
    for (const id of [randomUUID(), 'nope']) {
      for (const res of [
        await as(t.http.patch(`/api/admin/webhooks/${id}`)).send({ enabled: true }),
        await as(t.http.delete(`/api/admin/webhooks/${id}`)),
        await as(t.http.get(`/api/admin/webhooks/${id}/deliveries`)),
        await as(t.http.post(`/api/admin/webhooks/${id}/test`)),
      ]) {
        expect(res.status).toBe(404);
        expect(res.body.code).toBe('WEBHOOK_NOT_FOUND');
      }
    }
    const { body } = await create({ url: 'https://hooks.example.test/b', events: ['*'] }).expect(201);
    for (const bad of [{ enabled: 'yes' }, { events: [] }, { url: 42 }, { secret: 'x' }]) {
      const res = await as(t.http.patch(`/api/admin/webhooks/${body.id}`)).send(bad);
      expect(res.status, JSON.stringify(bad)).toBe(400);
    }
    for (const q of ['limit=0', 'limit=101', 'cursor=%%%', 'cursor=abc', 'foo=1']) {
      expect((await as(t.http.get(`/api/admin/webhooks?${q}`))).status, q).toBe(400);
      expect((await as(t.http.get(`/api/admin/webhooks/${body.id}/deliveries?${q}`))).status, q).toBe(400);
    }
  });

  it('disables by hand, pages newest first, and deletes', async () => {
    const { body } = await create({ url: 'https://hooks.example.test/c', events: ['level.changed'] }).expect(201);
    const off = await as(t.http.patch(`/api/admin/webhooks/${body.id}`)).send({ enabled: false }).expect(200);
    expect(off.body).toMatchObject({ enabled: false, disabledReason: 'disabled-by-admin' });
    const first = await as(t.http.get('/api/admin/webhooks?limit=1')).expect(200);
    expect(first.body.items[0].id).toBe(body.id);
    const next = await as(t.http.get(`/api/admin/webhooks?limit=1&cursor=${first.body.nextCursor}`)).expect(200);
    expect(next.body.items[0].id).not.toBe(body.id);
    await as(t.http.delete(`/api/admin/webhooks/${body.id}`)).expect(204);
    await as(t.http.delete(`/api/admin/webhooks/${body.id}`)).expect(404);
  });
});
