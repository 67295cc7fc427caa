import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, TestApp } from './utils/test-app';
import { SET_REFERRALS } from './utils/referral-stats';
import { createTestUser, TestUser } from './utils/test-users';

describe('leaderboard rank of the caller', () => {
  let t: TestApp;
  let db: DataSource;
  beforeAll(async () => {
    t = await createTestApp();
    db = t.app.get(DataSource);
  });
  afterAll(() => t?.close());

  const setReferrals = (user: TestUser, n: number, minutesAgo: number) =>
    db.query(SET_REFERRALS, [user.id, n, new Date(Date.now() - minutesAgo * 60_000)]);
  const countsTable = async () =>
    (await db.query(`SELECT total_referrals, users::int AS users FROM referral_rank_counts WHERE users > 0 ORDER BY 1`)) as unknown[];
  /** The counts as they should be: open accounts (users.deleted_at) by their referral_stats count. */
  const countsFromUsers = async () =>
    (await db.query(
      `SELECT s.total_referrals, count(*)::int AS users FROM referral_stats s JOIN users u ON u.id = s.user_id
        WHERE u.deleted_at IS NULL AND s.total_referrals > 0 GROUP BY 1 ORDER BY 1`,
    )) as unknown[];
  const rankOf = async (user: TestUser) =>
    (await t.http.get('/api/points/leaderboard?limit=100').set('Authorization', `Bearer ${user.token}`).expect(200)).body.me.rank;

  it('keeps the per-count table equal to the users through raises, drops, closures and restores', async () => {
    const users = await Promise.all(Array.from({ length: 6 }, () => createTestUser(t.app)));
    await Promise.all(users.map((u, i) => setReferrals(u, (i % 3) + 1, 60 - i)));
    expect(await countsTable()).toEqual(await countsFromUsers());
    await setReferrals(users[0], 7, 5);
    await setReferrals(users[1], 0, 5);
    const before = await countsTable();
    await t.http.delete('/api/auth/me').set('Authorization', `Bearer ${users[2].token}`).expect(204);
    expect(await countsTable()).toEqual(await countsFromUsers());
    expect(await countsTable()).not.toEqual(before);
    const list = (await t.http.get('/api/points/leaderboard?limit=100').expect(200)).body.items.map((r: { userId: string }) => r.userId);
    expect(list).not.toContain(users[2].id);
    // No product path reopens an account; a restore by hand puts it back in the counts.
    await db.query(`UPDATE users SET deleted_at = NULL WHERE id = $1`, [users[2].id]);
    await db.query(`UPDATE referral_stats SET closed = false WHERE user_id = $1`, [users[2].id]);
    expect(await countsTable()).toEqual(await countsFromUsers());
    expect(await countsTable()).toEqual(before);
  });

  it('ranks by referrals, then by who reached the count first, and puts users with none after them all', async () => {
    const [top, early, late, none] = await Promise.all(Array.from({ length: 4 }, () => createTestUser(t.app)));
    await setReferrals(top, 900, 1);
    await setReferrals(early, 800, 30);
    await setReferrals(late, 800, 10);
    const ranked = Number((await db.query(`SELECT count(*)::int AS n FROM referral_stats WHERE NOT closed AND total_referrals > 0`))[0].n);
    const list = (await t.http.get('/api/points/leaderboard?limit=100').expect(200)).body.items.map((r: { userId: string }) => r.userId);
    expect(await rankOf(top)).toBe(list.indexOf(top.id) + 1);
    expect(await rankOf(early)).toBe(list.indexOf(early.id) + 1);
    expect(await rankOf(late)).toBe(list.indexOf(early.id) + 2);
    expect(await rankOf(none)).toBe(ranked + 1);
  });

  it('tells apart users who reached the same count within one millisecond', async () => {
    const [first, second] = await Promise.all([createTestUser(t.app), createTestUser(t.app)]);
    await db.query(SET_REFERRALS, [first.id, 777, '2026-01-01T00:00:00.000100Z']);
    await db.query(SET_REFERRALS, [second.id, 777, '2026-01-01T00:00:00.000900Z']);
    expect(await rankOf(second)).toBe((await rankOf(first)) + 1);
  });

  it('stays exact while many referrers gain referrals at once', async () => {
    const referrers = await Promise.all(Array.from({ length: 10 }, () => createTestUser(t.app)));
    await Promise.all(
      referrers.flatMap((u) =>
        Array.from({ length: 5 }, () =>
          db.query(
            `INSERT INTO referral_stats AS s (user_id, total_referrals, last_referral_at) VALUES ($1, 1, now())
             ON CONFLICT (user_id) DO UPDATE SET total_referrals = s.total_referrals + 1, last_referral_at = now()`,
            [u.id],
          ),
        ),
      ),
    );
    expect(await countsTable()).toEqual(await countsFromUsers());
  });
});
