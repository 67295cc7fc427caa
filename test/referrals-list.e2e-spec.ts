import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TokenService } from '../src/auth/core/token.service';
import { ReferralsService } from '../src/referrals/referrals.service';
import { createTestApp, TestApp } from './utils/test-app';
import { recordingTx } from './utils/recording-tx';

interface Item {
  id: string;
  name: string;
  email: string;
  status: string;
  level: number;
  joinedAt: string;
  convertedAt: string | null;
  pointsEarned: number;
}

describe('GET /api/points/referrals', () => {
  let t: TestApp;
  let db: DataSource;
  let seq = 0;

  beforeAll(async () => {
    t = await createTestApp();
    db = t.app.get(DataSource);
  });
  afterAll(() => t?.close());

  async function user(name: string, email = `${name.toLowerCase()}-${randomUUID().slice(0, 6)}@example.com`) {
    const code = `M${String(++seq).padStart(7, '0')}`;
    const [row] = await db.query(
      `INSERT INTO users (email, name, referral_code) VALUES ($1::text, $2, $3) RETURNING id`,
      [email, name, code],
    );
    return { id: row.id as string, email, name, code, token: t.app.get(TokenService).sign({ id: row.id, role: 'user' }) };
  }

  /** A sign-up through the real attribution, as the verify flow runs it. */
  async function referee(referrerCode: string, name: string, email?: string) {
    const u = await user(name, email);
    await db.transaction((m) =>
      t.app.get(ReferralsService).attributeSignup({
        tx: recordingTx(m),
        refereeId: u.id, refereeEmail: u.email, refereeName: u.name, code: referrerCode, ip: null, deviceId: null,
      }),
    );
    return u;
  }

  const list = (token: string, query = '') => t.http.get(`/api/points/referrals${query}`).set('Authorization', `Bearer ${token}`);

  describe('a referrer with a small tree', () => {
    let alice: Awaited<ReturnType<typeof user>>;
    let bob: Awaited<ReturnType<typeof user>>;
    let dave: Awaited<ReturnType<typeof user>>;
    let eve: Awaited<ReturnType<typeof user>>;

    beforeAll(async () => {
      alice = await user('Alice', `alice-${randomUUID().slice(0, 6)}@gmail.com`);
      bob = await referee(alice.code, 'Bob', `bob-${randomUUID().slice(0, 6)}@example.com`);
      await referee(alice.code, 'Carol');
      dave = await referee(bob.code, 'Dave'); // level 2 for Alice
      // Alice's own second address: rejected, shown to Alice, never counted.
      eve = await referee(alice.code, 'Eve', alice.email.replace('@', '+alt@'));
      await referee(eve.code, 'Frank'); // under a rejected referral: not Alice's level 2
      await db.query(`UPDATE referrals SET status = 'converted', converted_at = now() WHERE referee_id = $1`, [bob.id]);
      // Alice's awards on Bob's purchase (a bonus and a commission) and on Dave's (a level-2 commission).
      const award = async (buyerId: string, awards: Array<[role: string, level: number, amount: number, balanceAfter: number]>) => {
        const [purchase] = await db.query(
          `INSERT INTO purchases (order_id, user_id, amount, currency, completed_at) VALUES ($1, $2, 10000, 'USD', now()) RETURNING id`,
          [`o-${randomUUID()}`, buyerId],
        );
        for (const [role, level, amount, balanceAfter] of awards) {
          const [entry] = await db.query(
            `INSERT INTO point_transactions (user_id, type, amount, source, balance_after, metadata, idempotency_key)
             VALUES ($1, 'earn', $2, 'purchase', $3, $4::jsonb, $5) RETURNING id`,
            [alice.id, amount, balanceAfter, JSON.stringify({ refereeId: buyerId }), `purchase:${purchase.id}:${role}:${level}`],
          );
          await db.query(
            `INSERT INTO purchase_awards (purchase_id, user_id, role, level, ledger_entry_id, amount, state)
             VALUES ($1, $2, $3, $4, $5, $6, 'posted')`,
            [purchase.id, alice.id, role, level, entry.id, amount],
          );
        }
      };
      await award(bob.id, [['referrer', 1, 100, 100], ['commission', 1, 25, 125]]);
      await award(dave.id, [['commission', 2, 7, 132]]);
      await db.query(
        `INSERT INTO referral_stats AS s (user_id, converted_referrals, active_referrals, total_earned) VALUES ($1, 1, 1, 132)
         ON CONFLICT (user_id) DO UPDATE SET converted_referrals = 1, active_referrals = 1, total_earned = 132`,
        [alice.id],
      );
    });

    it('lists direct referees newest first, masked, with rejected ones and stats from referral_stats', async () => {
      const res = await list(alice.token).expect(200);
      const items: Item[] = res.body.items;
      expect(items.map((i) => i.name)).toEqual(['Eve', 'Carol', 'Bob']);
      expect(items.map((i) => i.status)).toEqual(['rejected', 'pending', 'converted']);
      expect(items.every((i) => i.level === 1)).toBe(true);
      expect(items[2].email).toBe(`b***@example.com`);
      expect(items[0].email).toMatch(/^a\*\*\*@gmail\.com$/);
      expect(JSON.stringify(res.body)).not.toContain(bob.email);
      expect(items[2].pointsEarned).toBe(125);
      expect(items[1].pointsEarned).toBe(0);
      expect(items[2].convertedAt).toMatch(/^\d{4}-\d{2}-\d{2}T.*Z$/);
      expect(items[1].convertedAt).toBeNull();
      expect(new Date(items[0].joinedAt).getTime()).toBeGreaterThanOrEqual(new Date(items[1].joinedAt).getTime());
      expect(Object.keys(items[0]).sort()).toEqual(['convertedAt', 'email', 'id', 'joinedAt', 'level', 'name', 'pointsEarned', 'status']);
      expect(res.body.nextCursor).toBeNull();
      expect(res.body.stats).toEqual({ totalReferrals: 2, activeReferrals: 1, convertedReferrals: 1, totalEarned: 132 });
    });

    it('adds attributed second-level referees with depth=2', async () => {
      const res = await list(alice.token, '?depth=2').expect(200);
      const items: Item[] = res.body.items;
      expect(items.map((i) => [i.name, i.level])).toEqual([['Eve', 1], ['Dave', 2], ['Carol', 1], ['Bob', 1]]);
      expect(items.find((i) => i.name === 'Dave')?.pointsEarned).toBe(7);
      expect((await list(alice.token, '?depth=1').expect(200)).body.items).toHaveLength(3);
    });

    it('pages with an opaque cursor, with no gaps or repeats', async () => {
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const query: string = `?depth=2&limit=1${cursor ? `&cursor=${cursor}` : ''}`;
        const res = await list(alice.token, query).expect(200);
        expect(res.body.items.length).toBeLessThanOrEqual(1);
        seen.push(...res.body.items.map((i: Item) => i.name));
        cursor = res.body.nextCursor;
        pages++;
      } while (cursor && pages < 10);
      expect(seen).toEqual(['Eve', 'Dave', 'Carol', 'Bob']);
      const two = await list(alice.token, '?limit=2').expect(200);
      expect(two.body.items.map((i: Item) => i.name)).toEqual(['Eve', 'Carol']);
      const rest = await list(alice.token, `?limit=2&cursor=${two.body.nextCursor}`).expect(200);
      expect(rest.body.items.map((i: Item) => i.name)).toEqual(['Bob']);
      expect(rest.body.nextCursor).toBeNull();
    });

    it('shows a referee only to their own referrer', async () => {
      const res = await list(bob.token).expect(200);
      expect(res.body.items.map((i: Item) => i.name)).toEqual(['Dave']);
      expect((await list(dave.token).expect(200)).body).toEqual({
        items: [], nextCursor: null, stats: { totalReferrals: 0, activeReferrals: 0, convertedReferrals: 0, totalEarned: 0 },
      });
    });
  });

  describe('bad input and authorisation', () => {
    let token: string;
    beforeAll(async () => {
      token = (await user('Solo')).token;
    });

    it.each([
      ['limit=0'], ['limit=101'], ['limit=abc'], ['limit=1.5'], ['limit=1&limit=2'], ['depth=3'], ['depth=0'], ['depth=two'],
      ['cursor=not-a-cursor!'], ['cursor=' + Buffer.from('2024-01-01|x').toString('base64url')],
      ['cursor=' + Buffer.from(`2024-13-01T00:00:00.000000Z|${randomUUID()}`).toString('base64url')],
      ['cursor=' + 'A'.repeat(300)], ['status=pending'], ['cursor[]=x'], ['depth[]=2'], ['limit=%20'], ['limit=1e1'],
    ])('answers ?%s with 400 VALIDATION_FAILED', async (query) => {
      const res = await list(token, `?${query}`).expect(400);
      expect(res.body).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED' });
    });

    it('accepts the limit bounds', async () => {
      await list(token, '?limit=1').expect(200);
      await list(token, '?limit=100&depth=2').expect(200);
    });

    it('requires a valid token', async () => {
      expect((await t.http.get('/api/points/referrals').expect(401)).body.code).toBe('UNAUTHORIZED');
      await list('garbage').expect(401);
    });

    it('answers 401 UNAUTHORIZED for a deleted account, as every endpoint does', async () => {
      const gone = await user('Gone');
      await db.query(`UPDATE users SET deleted_at = now() WHERE id = $1`, [gone.id]);
      expect((await list(gone.token).expect(401)).body.code).toBe('UNAUTHORIZED');
    });
  });
});
