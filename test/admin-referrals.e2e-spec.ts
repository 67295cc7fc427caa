import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { referralChain } from './utils/purchase-webhooks';
import { createTestApp, TestApp } from './utils/test-app';
import { createTestUser, TestUser } from './utils/test-users';

describe('admin referral review endpoints', () => {
  let t: TestApp;
  let admin: TestUser;
  let user: TestUser;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await createTestUser(t.app, { role: 'admin' });
    user = await createTestUser(t.app);
  });
  afterAll(() => t?.close());

  const as = (req: ReturnType<TestApp['http']['get']>, who?: TestUser) => (who ? req.set('Authorization', `Bearer ${who.token}`) : req);

  it('answers 401 anonymous and 403 for non-admins on every endpoint', async () => {
    const id = randomUUID();
    for (const make of [
      () => t.http.get('/api/admin/referrals?status=flagged'),
      () => t.http.post(`/api/admin/referrals/${id}/approve`),
      () => t.http.post(`/api/admin/referrals/${id}/reject`),
    ]) {
      const anonymous = await make();
      expect(anonymous.status).toBe(401);
      expect(anonymous.body.code).toBe('UNAUTHORIZED');
      const forbidden = await as(make(), user);
      expect(forbidden.status).toBe(403);
      expect(forbidden.body.code).toBe('FORBIDDEN');
    }
  });

  it('answers 404 for an unknown or malformed id and 409 for a referral that is not flagged', async () => {
    for (const id of [randomUUID(), 'not-a-uuid']) {
      const res = await as(t.http.post(`/api/admin/referrals/${id}/approve`), admin);
      expect(res.status).toBe(404);
      expect(res.body.code).toBe('REFERRAL_NOT_FOUND');
    }
    const { referral } = await referralChain(t.app);
    const res = await as(t.http.post(`/api/admin/referrals/${referral}/reject`), admin);
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('REFERRAL_NOT_FLAGGED');
  });

  it('lists by status, newest first, with cursor pagination and 400 for bad filters', async () => {
    const flagged: string[] = [];
    for (let i = 0; i < 3; i++) flagged.push((await referralChain(t.app, { referrer: 'flagged' })).referral);
    const first = await as(t.http.get('/api/admin/referrals?status=flagged&limit=2'), admin).expect(200);
    expect(first.body.items).toHaveLength(2);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await as(t.http.get(`/api/admin/referrals?status=flagged&limit=2&cursor=${first.body.nextCursor}`), admin).expect(200);
    const ids = [...first.body.items, ...second.body.items].map((i: { id: string }) => i.id);
    expect(ids).toEqual([...flagged].reverse());
    expect(second.body.nextCursor).toBeNull();
    const all = await as(t.http.get('/api/admin/referrals?limit=100'), admin).expect(200);
    expect(all.body.items.length).toBeGreaterThan(3);
    for (const q of ['status=approved', 'limit=0', 'limit=101', 'cursor=%%%', 'cursor=abc', 'foo=1']) {
      const res = await as(t.http.get(`/api/admin/referrals?${q}`), admin);
      expect(res.status, q).toBe(400);
    }
  });
});
