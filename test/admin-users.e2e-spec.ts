import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { refer } from './utils/purchase-webhooks';
import { createTestApp, TestApp } from './utils/test-app';
import { auth, createTestUser, TestUser } from './utils/test-users';

type Page = { items: Array<{ id: string; email: string }>; nextCursor: string | null };

describe('admin user look-up', () => {
  let t: TestApp;
  let db: DataSource;
  let admin: TestUser;
  let user: TestUser;

  beforeAll(async () => {
    t = await createTestApp();
    db = t.app.get(DataSource);
    admin = await createTestUser(t.app, { role: 'admin' });
    user = await createTestUser(t.app);
  });
  afterAll(() => t?.close());

  const get = (url: string) => t.http.get(url).set(auth(admin));
  const emails = (body: { items: Array<{ email: string }> }) => body.items.map((i) => i.email);

  async function allPages(url: string, limit: number): Promise<Array<{ id: string; email: string }>> {
    const items: Array<{ id: string; email: string }> = [];
    let cursor: string | null = null;
    for (let pages = 0; pages < 50; pages++) {
      const { body }: { body: Page } = await get(`${url}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`).expect(200);
      items.push(...body.items);
      cursor = body.nextCursor;
      if (!cursor) return items;
    }
    throw new Error('pagination never ended');
  }

  it('answers 401 anonymous and 403 for non-admins on every endpoint', async () => {
    for (const url of ['/api/admin/users?query=a', `/api/admin/users/${user.id}`, `/api/admin/users/${user.id}/transactions`]) {
      const anonymous = await t.http.get(url);
      expect(anonymous.status, url).toBe(401);
      expect(anonymous.body.code).toBe('UNAUTHORIZED');
      const forbidden = await t.http.get(url).set(auth(user));
      expect(forbidden.status, url).toBe(403);
      expect(forbidden.body.code).toBe('FORBIDDEN');
    }
  });

  it('finds users by email prefix, case-insensitively, newest first, and by exact id', async () => {
    const a = await createTestUser(t.app, { email: 'Prefix.Alice@example.com' });
    const b = await createTestUser(t.app, { email: 'prefix.bob@example.com' });
    await createTestUser(t.app, { email: 'other.prefix@example.com' });
    const { body } = await get('/api/admin/users?query=PREFIX.').expect(200);
    expect(body.items.map((i: { id: string }) => i.id)).toEqual([b.id, a.id]);
    expect(body.nextCursor).toBeNull();
    expect(emails(body)).toEqual(['prefix.bob@example.com', 'Prefix.Alice@example.com']);
    const byId = await get(`/api/admin/users?query=${a.id}`).expect(200);
    expect(byId.body.items.map((i: { id: string }) => i.id)).toEqual([a.id]);
    const upper = await get(`/api/admin/users?query=${a.id.toUpperCase()}`).expect(200);
    expect(upper.body.items.map((i: { id: string }) => i.id)).toEqual([a.id]);
    expect((await get('/api/admin/users?query=nobody-has-this-prefix').expect(200)).body).toEqual({ items: [], nextCursor: null });
  });

  it('takes %, _ and \\ in the query literally', async () => {
    await createTestUser(t.app, { email: 'wild%card@example.com' });
    await createTestUser(t.app, { email: 'wildXcard@example.com' });
    await createTestUser(t.app, { email: 'under_score@example.com' });
    await createTestUser(t.app, { email: 'underXscore@example.com' });
    await createTestUser(t.app, { email: 'back\\slash@example.com' });
    await createTestUser(t.app, { email: 'backslash@example.com' });
    expect(emails((await get(`/api/admin/users?query=${encodeURIComponent('wild%')}`).expect(200)).body)).toEqual(['wild%card@example.com']);
    expect(emails((await get(`/api/admin/users?query=${encodeURIComponent('under_')}`).expect(200)).body)).toEqual(['under_score@example.com']);
    expect(emails((await get(`/api/admin/users?query=${encodeURIComponent('back\\')}`).expect(200)).body)).toEqual(['back\\slash@example.com']);
    expect((await get(`/api/admin/users?query=${encodeURIComponent('%')}`).expect(200)).body.items).toEqual([]);
    expect((await get(`/api/admin/users?query=${encodeURIComponent('_')}`).expect(200)).body.items).toEqual([]);
  });

  it('pages through the matches once each, ties on created_at included', async () => {
    const [{ at }] = await db.query(`SELECT now() - interval '1 day' AS at`);
    const made: string[] = [];
    for (let i = 0; i < 7; i++) made.push((await createTestUser(t.app, { email: `paged-${i}@example.com` })).id);
    await db.query(`UPDATE users SET created_at = $2 WHERE id = ANY($1::uuid[])`, [made.slice(0, 3), at]);
    const expected = (
      await db.query(`SELECT id FROM users WHERE email LIKE 'paged-%' ORDER BY created_at DESC, id DESC`)
    ).map((r: { id: string }) => r.id);
    for (const limit of [1, 2, 3, 7, 100]) {
      const seen = (await allPages('/api/admin/users?query=paged-', limit)).map((i) => i.id);
      expect(seen, `limit ${limit}`).toEqual(expected);
    }
    const everyone = await allPages('/api/admin/users?', 100);
    expect(everyone.map((i) => i.id)).toEqual(expect.arrayContaining([admin.id, user.id, ...made]));
  });

  it('shows balances, referral counters, who referred the user and whether their referral is flagged', async () => {
    const referrer = await createTestUser(t.app, { email: 'shape-referrer@example.com', name: 'Rita Referrer' });
    const referee = await createTestUser(t.app, { email: 'shape-referee@example.com', name: 'Ray Referee' });
    await refer(t.app, referrer, referee, 'flagged');
    await t.http.post('/api/points/admin/add').set(auth(admin)).send({ userId: referee.id, amount: 300, reason: 'welcome' }).expect(201);
    await t.http.post('/api/points/admin/add').set(auth(admin)).send({ userId: referee.id, amount: -100, reason: 'fix' }).expect(201);
    const party = { id: referrer.id, name: 'Rita Referrer', email: 'shape-referrer@example.com' };
    const row = {
      id: referee.id,
      email: 'shape-referee@example.com',
      name: 'Ray Referee',
      role: 'user',
      createdAt: expect.any(String),
      points: { total: 300, available: 200, pending: 0, debt: 0, level: expect.any(Number) },
      referralStats: { totalReferrals: 0, activeReferrals: 0, convertedReferrals: 0, totalEarned: 0 },
      referredBy: party,
      flagged: true,
    };
    const list = await get('/api/admin/users?query=shape-referee').expect(200);
    expect(list.body.items).toEqual([row]);
    const detail = await get(`/api/admin/users/${referee.id}`).expect(200);
    expect(detail.body).toEqual({ ...row, referral: { status: 'flagged', reasons: ['SAME_IP'], referrer: party } });
    const top = await get(`/api/admin/users/${referrer.id}`).expect(200);
    expect(top.body).toMatchObject({ referralStats: { totalReferrals: 1 }, referredBy: null, flagged: false, referral: null });
  });

  it('shows a rejected referral in the detail but no referredBy', async () => {
    const referrer = await createTestUser(t.app);
    const referee = await createTestUser(t.app);
    await refer(t.app, referrer, referee, 'rejected');
    const { body } = await get(`/api/admin/users/${referee.id}`).expect(200);
    expect(body).toMatchObject({ referredBy: null, flagged: false, referral: { status: 'rejected', referrer: { id: referrer.id } } });
  });

  it("lists the user's ledger like /api/points/transactions, paged", async () => {
    const target = await createTestUser(t.app);
    for (const amount of [10, 20, 30]) {
      await t.http.post('/api/points/admin/add').set(auth(admin)).send({ userId: target.id, amount, reason: `r${amount}` }).expect(201);
    }
    const own = await t.http.get('/api/points/transactions?limit=100').set(auth(target)).expect(200);
    const first = await get(`/api/admin/users/${target.id}/transactions?limit=2`).expect(200);
    expect(first.body.items).toHaveLength(2);
    const second = await get(`/api/admin/users/${target.id}/transactions?limit=2&cursor=${first.body.nextCursor}`).expect(200);
    expect(second.body.nextCursor).toBeNull();
    expect([...first.body.items, ...second.body.items]).toEqual(own.body.items);
    expect(own.body.items.map((i: { amount: number }) => i.amount)).toEqual([30, 20, 10]);
    const earns = await get(`/api/admin/users/${target.id}/transactions?type=spend`).expect(200);
    expect(earns.body.items).toEqual([]);
  });

  it('answers 404 USER_NOT_FOUND for an unknown, malformed or closed account', async () => {
    const closed = await createTestUser(t.app);
    await t.http.delete('/api/auth/me').set(auth(closed)).expect(204);
    for (const id of [randomUUID(), 'not-a-uuid', closed.id]) {
      for (const url of [`/api/admin/users/${id}`, `/api/admin/users/${id}/transactions`]) {
        const res = await get(url);
        expect(res.status, url).toBe(404);
        expect(res.body.code).toBe('USER_NOT_FOUND');
      }
    }
    expect((await get(`/api/admin/users?query=${closed.id}`).expect(200)).body.items).toEqual([]);
  });

  it('answers 400 for a blank or over-long query and bad paging or filters', async () => {
    for (const q of ['query=', 'query=%20%20', `query=${'a'.repeat(256)}`, 'limit=0', 'limit=101', 'cursor=abc', 'foo=1']) {
      const res = await get(`/api/admin/users?${q}`);
      expect(res.status, q).toBe(400);
      expect(res.body.code, q).toBe('VALIDATION_FAILED');
    }
    for (const q of ['type=bogus', 'limit=0', 'cursor=abc']) {
      const res = await get(`/api/admin/users/${user.id}/transactions?${q}`);
      expect(res.status, q).toBe(400);
    }
  });

  it('searches by prefix off users_email_prefix_idx', async () => {
    await db.query(`INSERT INTO users (email, name) SELECT 'bulk-' || g || '@example.com', 'Bulk' FROM generate_series(1, 5000) g`);
    await db.query(`ANALYZE users`);
    const spy = vi.spyOn(db, 'query');
    try {
      await get('/api/admin/users?query=bulk-4999').expect(200);
      const call = spy.mock.calls.find(([sql]) => /FROM users WHERE/.test(String(sql)) && /LIKE/.test(String(sql)));
      expect(call).toBeDefined();
      spy.mockRestore();
      const plan = (await db.query(`EXPLAIN ${call![0]}`, call![1] as unknown[])).map((r: { 'QUERY PLAN': string }) => r['QUERY PLAN']).join('\n');
      expect(plan).toContain('users_email_prefix_idx');
      expect(plan).not.toMatch(/Seq Scan on users/);
    } finally {
      spy.mockRestore();
    }
  });
});
