import { JwtService } from '@nestjs/jwt';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedPost } from './utils/purchase-webhooks';
import { createTestApp, TestApp } from './utils/test-app';
import { createTestUser, TestUser } from './utils/test-users';

/** Each class of client mistake that used to reach SQL (a 500) or pass unnoticed: now a 4xx with a code. */
describe('input is refused before it reaches SQL', () => {
  let t: TestApp;
  let user: TestUser;
  let admin: TestUser;
  const json = (path: string, text: string) => t.http.post(path).set('Content-Type', 'application/json').send(text);
  const expect400 = (res: { status: number; body: { code?: string } }, label = '') => {
    expect(res.status, `${label} ${JSON.stringify(res.body)}`).toBe(400);
    expect(res.body.code, label).toBe('VALIDATION_FAILED');
  };
  const signUp = (fields: Record<string, unknown>) =>
    t.http.post('/api/auth/sign-up').send({ email: `u-${randomUUID().slice(0, 8)}@example.com`, password: 'password123', name: 'Ann', ...fields });
  const purchase = (fields: Record<string, unknown>) =>
    signedPost(t.http, '/api/purchases/completed', { orderId: `o-${randomUUID()}`, userId: user.id, amount: 100, currency: 'USD', ...fields });
  const cursor = (text: string) => Buffer.from(text).toString('base64url');

  beforeAll(async () => {
    process.env.RATE_LIMIT_SCALE = '1000';
    process.env.TRUST_PROXY = 'true';
    t = await createTestApp();
    user = await createTestUser(t.app);
    admin = await createTestUser(t.app, { role: 'admin' });
  });
  afterAll(() => t.close());

  it('refuses JSON nested deeper than the limit on the unauthenticated sign-up and login', async () => {
    const arrays = `{"email":${'['.repeat(1500)}${']'.repeat(1500)}}`;
    const objects = `${'{"a":'.repeat(1500)}1${'}'.repeat(1500)}`;
    for (const path of ['/api/auth/sign-up', '/api/auth/login']) {
      for (const body of [arrays, objects]) {
        const res = await json(path, body);
        expect400(res, path);
        expect(res.body.message).toEqual([expect.stringContaining('nested deeper')]);
      }
    }
  });

  it('refuses NUL characters and lone surrogates in body fields, query values and path parameters', async () => {
    expect400(await signUp({ name: 'Ann\u0000' }), 'NUL name');
    expect400(await t.http.post('/api/auth/login').send({ email: 'a\u0000@example.com', password: 'x' }), 'NUL email');
    expect400(await json('/api/auth/sign-up', '{"email":"s@example.com","password":"password123","name":"\\ud800"}'), 'lone high');
    expect400(await json('/api/auth/login', '{"email":"\\udc00@example.com","password":"x"}'), 'lone low');
    expect400(await json('/api/auth/login', '{"email":"a@example.com","password":"x","\\u0000":1}'), 'NUL key');
    expect400(await purchase({ orderId: 'order\u0000' }), 'NUL orderId');
    const auth = { Authorization: `Bearer ${user.token}` };
    expect400(await t.http.get('/api/points/transactions?cursor=%00').set(auth), 'NUL cursor');
    expect400(await t.http.get('/api/points/transactions?type=earn%00').set(auth), 'NUL filter');
    expect400(await t.http.post('/api/admin/referrals/%00/approve').set({ Authorization: `Bearer ${admin.token}` }), 'NUL id');
    expect400(await t.http.get('/r/ABC%00DEF'), 'NUL short link');
    // A surrogate pair is a character like any other.
    expect((await signUp({ name: 'Ann \ud83d\ude00' })).status).toBe(202);
  });

  it('refuses impossible dates in cursors and date parameters', async () => {
    const auth = { Authorization: `Bearer ${admin.token}` };
    for (const when of ['2026-02-30T00:00:00.000000Z', '0000-01-01T00:00:00.000000Z', '2026-01-01T24:00:00.000000Z']) {
      const raw = cursor(`${when}|${randomUUID()}`);
      for (const path of ['/api/points/transactions', '/api/points/referrals', '/api/admin/referrals']) {
        expect400(await t.http.get(`${path}?cursor=${raw}`).set(auth), `${path} ${when}`);
      }
    }
    for (const from of ['2026-02-30T00:00:00Z', '0000-01-01T00:00:00Z', '2026-01-01', '2026-01-01T00:00:00']) {
      expect400(await t.http.get(`/api/admin/analytics?from=${from}`).set(auth), from);
    }
  });

  it('refuses null for an optional field instead of treating it as absent', async () => {
    const res = await signUp({ referralCode: null });
    expect400(res);
    expect(res.body.message).toEqual([expect.stringContaining('referralCode')]);
    expect400(await signedPost(t.http, '/api/purchases/refunded', { orderId: 'o-1', amount: null }), 'refund amount null');
    expect400(await purchase({ completedAt: null }), 'completedAt null');
  });

  it('refuses an email that grows past 255 characters when lower-cased', async () => {
    const email = `a@${`${'İ'.repeat(60)}.`.repeat(4)}com`;
    expect(email.length).toBeLessThanOrEqual(255);
    expect(email.toLowerCase().length).toBeGreaterThan(255);
    const bodies: Record<string, object> = {
      '/api/auth/sign-up': { email, password: 'password123', name: 'Ann' },
      '/api/auth/verify-email-code': { email, code: '123456' },
      '/api/auth/resend-code': { email },
      '/api/auth/login': { email, password: 'password123' },
    };
    for (const path of Object.keys(bodies)) {
      expect400(await t.http.post(path).send(bodies[path]), path);
    }
  });

  it('refuses unknown fields named like Object.prototype members, in bodies and query strings', async () => {
    for (const name of ['toString', 'constructor', 'hasOwnProperty', 'valueOf', '__proto__']) {
      const res = await json('/api/auth/login', `{"email":"a@example.com","password":"x","${name}":{"admin":true}}`);
      expect400(res, name);
      expect(JSON.stringify(res.body.message)).toContain(name);
      expect400(await t.http.get(`/api/points/leaderboard?${name}=1`), `query ${name}`);
      expect400(await purchase({ [name]: 1 }), `purchase ${name}`);
    }
  });

  it('answers a body that is not JSON with 415 UNSUPPORTED_MEDIA_TYPE', async () => {
    const login = 'email=a%40example.com&password=password123';
    for (const type of ['application/x-www-form-urlencoded', 'text/plain', 'application/xml', 'multipart/form-data; boundary=x']) {
      const res = await t.http.post('/api/auth/login').set('Content-Type', type).send(login);
      expect(res.status, type).toBe(415);
      expect(res.body).toMatchObject({ statusCode: 415, code: 'UNSUPPORTED_MEDIA_TYPE' });
    }
    const none = await t.http.post('/api/auth/login').unset('Content-Type').send(Buffer.from('{"email":"a@example.com"}'));
    expect(none.status).toBe(415);
    // A call without a body needs no content type.
    const generated = await t.http.post('/api/points/generate-referral-code').set('Authorization', `Bearer ${user.token}`);
    expect(generated.status).toBe(201);
  });

  it('takes a real ISO 4217 currency only', async () => {
    for (const currency of ['ZZZ', 'XTS', 'XAU', 'usd', 'US']) expect400(await purchase({ currency }), currency);
    for (const currency of ['USD', 'EUR', 'JPY']) expect((await purchase({ currency })).status, currency).toBe(202);
  });

  it('takes completedAt as a full date-time with an offset, not in the future beyond five minutes', async () => {
    const soon = new Date(Date.now() + 60_000).toISOString();
    const later = new Date(Date.now() + 10 * 60_000).toISOString();
    for (const completedAt of ['2026-01-01T00:00:00', '2026-01-01', '9999-12-31T23:59:59Z', later, '2026-02-29T00:00:00Z']) {
      expect400(await purchase({ completedAt }), completedAt);
    }
    for (const completedAt of [soon, '2025-06-01T10:00:00+02:00']) expect((await purchase({ completedAt })).status, completedAt).toBe(202);
  });

  it('refuses blank order ids and blank admin reasons', async () => {
    for (const orderId of [' ', '   ', '\t\n']) {
      expect400(await purchase({ orderId }), JSON.stringify(orderId));
      expect400(await signedPost(t.http, '/api/purchases/refunded', { orderId }), `refund ${JSON.stringify(orderId)}`);
    }
    const add = await t.http.post('/api/points/admin/add').set('Authorization', `Bearer ${admin.token}`).send({ userId: user.id, amount: 5, reason: '  ' });
    expect400(add);
  });

  it('answers 401 for a signed token whose subject is not a user id', async () => {
    const jwt = t.app.get(JwtService);
    for (const sub of ['not-a-uuid', '1', "x' OR 1=1"]) {
      const token = jwt.sign({ sub, role: 'admin' });
      for (const path of ['/api/auth/me', '/api/points/my-points', '/api/admin/analytics']) {
        const res = await t.http.get(path).set('Authorization', `Bearer ${token}`);
        expect(res.status, `${path} ${sub}`).toBe(401);
      }
    }
  });

  it('keeps a forwarded address that is no IP address out of the sign-up signals', async () => {
    const res = await signUp({}).set('X-Forwarded-For', `not-an-ip-${'x'.repeat(80)}`);
    expect(res.status).toBe(202);
  });
});
