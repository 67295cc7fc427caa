import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

/**
 * A referee is active while they have a purchase, not fully refunded, completed in the last 30
 * days: the one definition, over a referral row `r`.
 */
export const ACTIVE_REFEREE = `EXISTS (
  SELECT 1 FROM purchases p
   WHERE p.user_id = r.referee_id AND p.status <> 'refunded' AND p.completed_at > now() - interval '30 days')`;

/**
 * Changes of referral_stats (its trigger keeps referral_rank_counts) beyond the two counted in
 * their own statements (attribution, conversion). A user's row is created by the first change
 * that counts something for them; a missing row reads as zeros.
 */
@Injectable()
export class ReferralStatsRepository {
  /** A rejected referral no longer counts for its referrer. */
  async uncount(m: EntityManager, referrerId: string, wasConverted: boolean): Promise<void> {
    await m.query(
      `UPDATE referral_stats SET total_referrals = GREATEST(total_referrals - 1, 0),
              converted_referrals = GREATEST(converted_referrals - CASE WHEN $2::boolean THEN 1 ELSE 0 END, 0),
              updated_at = now()
        WHERE user_id = $1`,
      [referrerId, wasConverted],
    );
  }

  async addEarned(m: EntityManager, userId: string, delta: number): Promise<void> {
    await this.addEarnedMany(m, [{ userId, delta }]);
  }

  /** One row change per user, with the sum of their deltas. */
  async addEarnedMany(m: EntityManager, deltas: Array<{ userId: string; delta: number }>): Promise<void> {
    const sums = new Map<string, number>();
    for (const { userId, delta } of deltas) sums.set(userId, (sums.get(userId) ?? 0) + delta);
    const rows = [...sums].filter(([, delta]) => delta !== 0).sort(([a], [b]) => a.localeCompare(b));
    if (rows.length === 0) return;
    await m.query(
      `INSERT INTO referral_stats AS s (user_id, total_earned)
       SELECT * FROM unnest($1::uuid[], $2::bigint[])
       ON CONFLICT (user_id) DO UPDATE SET total_earned = s.total_earned + EXCLUDED.total_earned, updated_at = now()`,
      [rows.map(([u]) => u), rows.map(([, d]) => d)],
    );
  }

  /** The account is closed: it leaves the leaderboard and the rank counts. */
  async close(m: EntityManager, userId: string): Promise<void> {
    await m.query(`UPDATE referral_stats SET closed = true, updated_at = now() WHERE user_id = $1 AND NOT closed`, [userId]);
  }

  async refreshActive(m: EntityManager, referrerId: string): Promise<void> {
    await m.query(
      `INSERT INTO referral_stats AS s (user_id, active_referrals)
       SELECT $1, count(*) FILTER (WHERE ${ACTIVE_REFEREE})::int
         FROM referrals r WHERE r.referrer_id = $1 AND r.status <> 'rejected'
       HAVING count(*) > 0 OR EXISTS (SELECT 1 FROM referral_stats WHERE user_id = $1)
       ON CONFLICT (user_id) DO UPDATE SET active_referrals = EXCLUDED.active_referrals, updated_at = now()
        WHERE s.active_referrals <> EXCLUDED.active_referrals`,
      [referrerId],
    );
  }

  /** Every referrer whose stored count differs from the definition, in one statement; how many changed. */
  async refreshAllActive(m: EntityManager): Promise<number> {
    const rows = await m.query(
      `WITH c AS (
         SELECT ids.id, (SELECT count(*) FROM referrals r
                          WHERE r.referrer_id = ids.id AND r.status <> 'rejected' AND ${ACTIVE_REFEREE})::int AS n
           FROM (SELECT user_id AS id FROM referral_stats WHERE active_referrals > 0
                 UNION SELECT DISTINCT referrer_id FROM referrals) ids
       )
       INSERT INTO referral_stats AS s (user_id, active_referrals) SELECT id, n FROM c
       ON CONFLICT (user_id) DO UPDATE SET active_referrals = EXCLUDED.active_referrals, updated_at = now()
        WHERE s.active_referrals <> EXCLUDED.active_referrals
       RETURNING (xmax = 0 AND active_referrals = 0) AS untouched`,
    );
    return rows.filter((r: { untouched: boolean }) => !r.untouched).length;
  }
}
