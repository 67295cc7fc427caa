import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IdempotencyService } from '../src/idempotency/idempotency.service';
import { PointsService } from '../src/points/points.service';
import { createTestApp, TestApp } from './utils/test-app';
import { auth, createTestUser, TestUser } from './utils/test-users';
import { SET_REFERRALS } from './utils/referral-stats';

describe('points endpoints over HTTP', () => {
  let t: TestApp;
  let points: PointsService;
  let db: DataSource;
  let admin: TestUser;

  beforeAll(async () => {
    t = await createTestApp();
    points = t.app.get(PointsService);
    db = t.app.get(DataSource);
    admin = await createTestUser(t.app, { role: 'admin' });
  });
  afterAll(() => t?.close());

  const award = (userId: string, amount: number, options = {}) =>
    points.addPoints({ userId, amount, source: 'bonus', metadata: {}, idempotencyKey: `test:${randomUUID()}`, ...options });

  it('documents every points endpoint in the OpenAPI spec', async () => {
    const json = await t.http.get('/docs-json').expect(200);
    expect(Object.keys(json.body.paths)).toEqual(
      expect.arrayContaining([
        '/api/points/my-points',
        '/api/points/transactions',
        '/api/points/leaderboard',
        '/api/points/redeem',
        '/api/points/admin/add',
      ]),
    );
    expect(json.body.paths['/api/points/admin/add'].post.responses).toHaveProperty('409');
  });

  describe('GET /api/points/my-points', () => {
    it('answers 401 without a token', async () => {
      const res = await t.http.get('/api/points/my-points').expect(401);
      expect(res.body.code).toBe('UNAUTHORIZED');
    });

    it('shows balances, level and the next level', async () => {
      const u = await createTestUser(t.app);
      await award(u.id, 600);
      await award(u.id, 40, { hold: true });
      const res = await t.http.get('/api/points/my-points').set(auth(u)).expect(200);
      expect(res.body).toEqual({
        total: 600,
        available: 600,
        pending: 40,
        debt: 0,
        level: { level: 2, name: 'Silver', minPoints: 500 },
        nextLevel: { level: 3, name: 'Gold', minPoints: 2000 },
        pointsToNextLevel: 1400,
        expiring: null,
        qualifyingPoints: null,
        pointsToRetain: null,
        retainUntil: null,
      });
    });
  });

  describe('GET /api/points/transactions', () => {
    it('pages newest first with an opaque cursor, filters by type, and shows only the caller', async () => {
      const u = await createTestUser(t.app);
      const other = await createTestUser(t.app);
      await award(other.id, 999);
      for (let i = 1; i <= 5; i++) await award(u.id, i);
      await points.spend({ userId: u.id, amount: 3, source: 'redeem', metadata: {}, idempotencyKey: `test:${randomUUID()}` });
      const first = await t.http.get('/api/points/transactions?limit=4').set(auth(u)).expect(200);
      expect(first.body.items.map((i: { amount: number }) => i.amount)).toEqual([-3, 5, 4, 3]);
      expect(Object.keys(first.body.items[0]).sort()).toEqual(
        ['amount', 'balanceAfter', 'createdAt', 'description', 'id', 'metadata', 'source', 'status', 'type'].sort(),
      );
      expect(first.body.items[0]).toMatchObject({ type: 'spend', balanceAfter: 12, source: 'redeem' });
      const second = await t.http.get(`/api/points/transactions?limit=4&cursor=${first.body.nextCursor}`).set(auth(u)).expect(200);
      expect(second.body.items.map((i: { amount: number }) => i.amount)).toEqual([2, 1]);
      expect(second.body.nextCursor).toBeNull();
      const spends = await t.http.get('/api/points/transactions?type=spend').set(auth(u)).expect(200);
      expect(spends.body.items).toHaveLength(1);
      const all = [...first.body.items, ...second.body.items];
      expect(all.some((i: { amount: number }) => i.amount === 999)).toBe(false);
    });

    it('rejects a bad limit, cursor or type with 400', async () => {
      const u = await createTestUser(t.app);
      for (const q of ['limit=0', 'limit=101', 'limit=abc', 'cursor=not-a-cursor', 'cursor=', 'limit=1e1', 'type=gift', 'extra=1']) {
        const res = await t.http.get(`/api/points/transactions?${q}`).set(auth(u));
        expect(res.status, q).toBe(400);
      }
      await t.http.get('/api/points/transactions').expect(401);
    });
  });

  describe('GET /api/points/leaderboard', () => {
    it('ranks by referrals then by who reached it first, names only, with the caller as me', async () => {
      const a = await createTestUser(t.app, { name: 'Ada' });
      const b = await createTestUser(t.app, { name: 'Bob' });
      const c = await createTestUser(t.app, { name: 'Cy' });
      const zero = await createTestUser(t.app, { name: 'Zed' });
      const now = Date.now();
      await db.query(SET_REFERRALS, [a.id, 900, new Date(now - 3_600_000)]);
      await db.query(SET_REFERRALS, [b.id, 900, new Date(now)]);
      await db.query(SET_REFERRALS, [c.id, 800, new Date(now)]);
      const pub = await t.http.get('/api/points/leaderboard?limit=3').expect(200);
      expect(pub.body.me).toBeNull();
      expect(pub.body.items.map((i: { name: string }) => i.name)).toEqual(['Ada', 'Bob', 'Cy']);
      expect(pub.body.items[0]).toEqual({ rank: 1, userId: a.id, name: 'Ada', totalReferrals: 900, convertedReferrals: 0, totalEarned: 0 });
      expect(JSON.stringify(pub.body)).not.toContain('@');
      const asB = await t.http.get('/api/points/leaderboard').set(auth(b)).expect(200);
      expect(asB.body.me).toMatchObject({ rank: 2, userId: b.id, name: 'Bob' });
      const asZero = await t.http.get('/api/points/leaderboard').set(auth(zero)).expect(200);
      const [{ ranked }] = await db.query(`SELECT count(*)::int AS ranked FROM referral_stats WHERE total_referrals > 0 AND NOT closed`);
      expect(asZero.body.me).toMatchObject({ rank: ranked + 1, totalReferrals: 0 });
    });

    it('rejects a bad limit and treats a bad token as anonymous', async () => {
      await t.http.get('/api/points/leaderboard?limit=0').expect(400);
      await t.http.get('/api/points/leaderboard?limit=101').expect(400);
      const res = await t.http.get('/api/points/leaderboard').set('Authorization', 'Bearer nope').expect(200);
      expect(res.body.me).toBeNull();
    });
  });

  describe('POST /api/points/redeem', () => {
    it('records a service credit and issues unique discount codes', async () => {
      const u = await createTestUser(t.app);
      await award(u.id, 1000);
      const credit = await t.http.post('/api/points/redeem').set(auth(u)).send({ amount: 300, reward: 'service-credit' }).expect(201);
      expect(credit.body).toMatchObject({ reward: { type: 'service-credit', value: 300 }, available: 700 });
      expect(credit.body.reward.code).toBeUndefined();
      expect(credit.body.transaction).toMatchObject({ type: 'spend', amount: -300, source: 'redeem', balanceAfter: 700 });
      const d1 = await t.http.post('/api/points/redeem').set(auth(u)).send({ amount: 100, reward: 'discount-code' }).expect(201);
      const d2 = await t.http.post('/api/points/redeem').set(auth(u)).send({ amount: 100, reward: 'discount-code' }).expect(201);
      expect(d1.body.reward.code).toMatch(/^RWD-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
      expect(d1.body.reward.code).not.toBe(d2.body.reward.code);
      const [row] = await db.query(`SELECT value, status FROM reward_redemptions WHERE code = $1`, [d1.body.reward.code]);
      expect(row).toEqual({ value: '100', status: 'active' });
      const [n] = await db.query(`SELECT count(*)::int AS c FROM notifications WHERE user_id = $1 AND type = 'redemption-done'`, [u.id]);
      expect(n.c).toBe(3);
    });

    it('answers 409 INSUFFICIENT_POINTS without changing anything', async () => {
      const u = await createTestUser(t.app);
      await award(u.id, 50);
      const res = await t.http.post('/api/points/redeem').set(auth(u)).send({ amount: 51, reward: 'service-credit' }).expect(409);
      expect(res.body).toMatchObject({ statusCode: 409, code: 'INSUFFICIENT_POINTS' });
      const me = await t.http.get('/api/points/my-points').set(auth(u)).expect(200);
      expect(me.body.available).toBe(50);
    });

    it('rejects malformed bodies with 400 and anonymous callers with 401', async () => {
      const u = await createTestUser(t.app);
      const bad = [
        {},
        { amount: 0, reward: 'service-credit' },
        { amount: -5, reward: 'service-credit' },
        { amount: 1.5, reward: 'service-credit' },
        { amount: '10', reward: 'service-credit' },
        { amount: 1_000_000_001, reward: 'service-credit' },
        { amount: 10, reward: 'gift-card' },
        { amount: 10 },
        { amount: 10, reward: 'service-credit', extra: true },
      ];
      for (const body of bad) {
        const res = await t.http.post('/api/points/redeem').set(auth(u)).send(body);
        expect(res.status, JSON.stringify(body)).toBe(400);
        expect(res.body.code).toBe('VALIDATION_FAILED');
      }
      await t.http.post('/api/points/redeem').send({ amount: 10, reward: 'service-credit' }).expect(401);
    });
  });

  describe('POST /api/points/admin/add', () => {
    it('grants and deducts, never overdrawing', async () => {
      const u = await createTestUser(t.app);
      const grant = await t.http.post('/api/points/admin/add').set(auth(admin)).send({ userId: u.id, amount: 700, reason: 'goodwill' }).expect(201);
      expect(grant.body.transaction).toMatchObject({ type: 'earn', source: 'admin', amount: 700, description: 'goodwill' });
      expect(grant.body.points).toEqual({ total: 700, available: 700, pending: 0, level: 2 });
      const cut = await t.http.post('/api/points/admin/add').set(auth(admin)).send({ userId: u.id, amount: -200, reason: 'fix' }).expect(201);
      expect(cut.body.transaction).toMatchObject({ type: 'spend', source: 'admin', amount: -200, balanceAfter: 500 });
      expect(cut.body.points).toMatchObject({ available: 500, total: 700 });
      const over = await t.http.post('/api/points/admin/add').set(auth(admin)).send({ userId: u.id, amount: -501, reason: 'fix' }).expect(409);
      expect(over.body.code).toBe('INSUFFICIENT_POINTS');
    });

    it('answers 404 USER_NOT_FOUND, 403 for non-admins, 401 anonymous', async () => {
      const res = await t.http.post('/api/points/admin/add').set(auth(admin)).send({ userId: randomUUID(), amount: 5, reason: 'x' }).expect(404);
      expect(res.body.code).toBe('USER_NOT_FOUND');
      const u = await createTestUser(t.app);
      const forbidden = await t.http.post('/api/points/admin/add').set(auth(u)).send({ userId: u.id, amount: 5, reason: 'x' }).expect(403);
      expect(forbidden.body.code).toBe('FORBIDDEN');
      await t.http.post('/api/points/admin/add').send({ userId: u.id, amount: 5, reason: 'x' }).expect(401);
      expect((await t.http.get('/api/points/my-points').set(auth(u))).body.available).toBe(0);
    });

    it('rejects zero, out-of-range, non-integer amounts, bad ids and reasons with 400', async () => {
      const u = await createTestUser(t.app);
      const bad = [
        { userId: u.id, amount: 0, reason: 'x' },
        { userId: u.id, amount: 1_000_000_001, reason: 'x' },
        { userId: u.id, amount: -1_000_000_001, reason: 'x' },
        { userId: u.id, amount: 2.5, reason: 'x' },
        { userId: u.id, amount: '5', reason: 'x' },
        { userId: 'not-a-uuid', amount: 5, reason: 'x' },
        { userId: u.id, amount: 5, reason: '' },
        { userId: u.id, amount: 5, reason: 'x'.repeat(501) },
        { userId: u.id, amount: 5 },
        { userId: u.id, amount: 5, reason: 'x', role: 'admin' },
      ];
      for (const body of bad) {
        const res = await t.http.post('/api/points/admin/add').set(auth(admin)).send(body);
        expect(res.status, JSON.stringify(body)).toBe(400);
      }
    });
  });

  describe('Idempotency-Key', () => {
    it('replays the first response for the same body and changes nothing', async () => {
      const u = await createTestUser(t.app);
      await award(u.id, 100);
      const key = randomUUID();
      const first = await t.http.post('/api/points/redeem').set(auth(u)).set('Idempotency-Key', key).send({ amount: 30, reward: 'discount-code' }).expect(201);
      const again = await t.http.post('/api/points/redeem').set(auth(u)).set('Idempotency-Key', key).send({ reward: 'discount-code', amount: 30 }).expect(201);
      expect(again.body).toEqual(first.body);
      expect((await t.http.get('/api/points/my-points').set(auth(u))).body.available).toBe(70);
    });

    it('answers 409 IDEMPOTENCY_KEY_REUSED for another body, and scopes keys per caller', async () => {
      const u = await createTestUser(t.app);
      const v = await createTestUser(t.app);
      await award(u.id, 100);
      await award(v.id, 100);
      const key = randomUUID();
      await t.http.post('/api/points/redeem').set(auth(u)).set('Idempotency-Key', key).send({ amount: 10, reward: 'service-credit' }).expect(201);
      const reused = await t.http.post('/api/points/redeem').set(auth(u)).set('Idempotency-Key', key).send({ amount: 11, reward: 'service-credit' }).expect(409);
      expect(reused.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
      await t.http.post('/api/points/redeem').set(auth(v)).set('Idempotency-Key', key).send({ amount: 10, reward: 'service-credit' }).expect(201);
      expect((await t.http.get('/api/points/my-points').set(auth(v))).body.available).toBe(90);
    });

    it('replays a stored 409 instead of running again', async () => {
      const u = await createTestUser(t.app);
      const key = randomUUID();
      await t.http.post('/api/points/redeem').set(auth(u)).set('Idempotency-Key', key).send({ amount: 10, reward: 'service-credit' }).expect(409);
      await award(u.id, 100);
      const replay = await t.http.post('/api/points/redeem').set(auth(u)).set('Idempotency-Key', key).send({ amount: 10, reward: 'service-credit' }).expect(409);
      expect(replay.body.code).toBe('INSUFFICIENT_POINTS');
      expect((await t.http.get('/api/points/my-points').set(auth(u))).body.available).toBe(100);
    });

    it('rejects an empty or overlong key with 400', async () => {
      const u = await createTestUser(t.app);
      for (const key of ['', 'x'.repeat(256), 'has space']) {
        const res = await t.http.post('/api/points/redeem').set(auth(u)).set('Idempotency-Key', key).send({ amount: 1, reward: 'service-credit' });
        expect(res.status, JSON.stringify(key)).toBe(400);
        expect(res.body.code).toBe('INVALID_IDEMPOTENCY_KEY');
      }
    });

    it('accepts a key of the full 255 characters on redeem and admin/add', async () => {
      const u = await createTestUser(t.app);
      await award(u.id, 50);
      const key = 'k'.repeat(255);
      await t.http.post('/api/points/redeem').set(auth(u)).set('Idempotency-Key', key).send({ amount: 5, reward: 'service-credit' }).expect(201);
      await t.http.post('/api/points/admin/add').set(auth(admin)).set('Idempotency-Key', key).send({ userId: u.id, amount: 7, reason: 'long key' }).expect(201);
      expect((await t.http.get('/api/points/my-points').set(auth(u))).body.available).toBe(52);
    });

    it('acts anew on a key reused with another body after the stored key was forgotten', async () => {
      const u = await createTestUser(t.app);
      await award(u.id, 100);
      const key = randomUUID();
      await t.http.post('/api/points/redeem').set(auth(u)).set('Idempotency-Key', key).send({ amount: 10, reward: 'service-credit' }).expect(201);
      await db.query(`DELETE FROM idempotency_keys WHERE key = $1`, [key]);
      const second = await t.http.post('/api/points/redeem').set(auth(u)).set('Idempotency-Key', key).send({ amount: 20, reward: 'discount-code' }).expect(201);
      expect(second.body.transaction.amount).toBe(-20);
      expect(second.body.reward.type).toBe('discount-code');
      expect(second.body.available).toBe(70);
    });

    it('takes over a key whose first request died, and forgets keys after the retention', async () => {
      const u = await createTestUser(t.app);
      await award(u.id, 100);
      const key = randomUUID();
      const body = { amount: 5, reward: 'service-credit' };
      const hash = t.app.get(IdempotencyService).hash({ caller: `user:${u.id}`, key, method: 'POST', path: '/api/points/redeem', body });
      await db.query(
        `INSERT INTO idempotency_keys (caller, key, request_hash, created_at) VALUES ($1, $2, $3, now() - interval '2 minutes')`,
        [`user:${u.id}`, key, hash],
      );
      await t.http.post('/api/points/redeem').set(auth(u)).set('Idempotency-Key', key).send(body).expect(201);
      const [row] = await db.query(`SELECT status, response_status FROM idempotency_keys WHERE key = $1`, [key]);
      expect(row).toEqual({ status: 'completed', response_status: 201 });
      await db.query(`UPDATE idempotency_keys SET created_at = now() - interval '25 hours' WHERE key = $1`, [key]);
      expect(await t.app.get(IdempotencyService).cleanUp()).toBeGreaterThanOrEqual(1);
      const [gone] = await db.query(`SELECT count(*)::int AS c FROM idempotency_keys WHERE key = $1`, [key]);
      expect(gone.c).toBe(0);
    });

    it('executes an admin grant once for one key sent 20 times concurrently', async () => {
      const u = await createTestUser(t.app);
      const key = randomUUID();
      const responses = await Promise.all(
        Array.from({ length: 20 }, () =>
          t.http.post('/api/points/admin/add').set(auth(admin)).set('Idempotency-Key', key).send({ userId: u.id, amount: 25, reason: 'once' }),
        ),
      );
      expect(responses.map((r) => r.status)).toEqual(Array(20).fill(201));
      expect(new Set(responses.map((r) => r.body.transaction.id)).size).toBe(1);
      const [c] = await db.query(`SELECT count(*)::int AS c FROM point_transactions WHERE user_id = $1`, [u.id]);
      expect(c.c).toBe(1);
      expect((await t.http.get('/api/points/my-points').set(auth(u))).body.available).toBe(25);
    });
  });
});
