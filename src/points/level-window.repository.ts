import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

export interface LevelMove {
  userId: string;
  previousLevel: number;
  level: number;
  levelName: string | null;
  total: number;
  qualifying: number;
}

export interface QualifyingEntry {
  amount: number;
  at: Date;
}

/** What counts toward a window: posted earnings, net of clawbacks (the same entries as `total`). */
const QUALIFYING = `t.status = 'posted' AND t.type IN ('earn', 'clawback')`;

/**
 * Re-qualifies these users' balances over the window from $2: qualifying becomes what they earned
 * since, and the level follows it up at once or down one tier (the tier just below by min_points).
 * A balance already evaluated at this window start is left alone, so a rerun moves nobody twice.
 */
const EVALUATE = `
WITH cand AS (
  SELECT b.user_id, b.level AS old_level, b.total,
         COALESCE((SELECT SUM(t.amount) FROM point_transactions t WHERE t.user_id = b.user_id AND ${QUALIFYING} AND t.created_at > $2::timestamptz), 0)::bigint AS qualifying
  FROM point_balances b JOIN users u ON u.id = b.user_id AND u.deleted_at IS NULL
  WHERE b.user_id = ANY($1::uuid[]) AND (b.window_from IS NULL OR b.window_from < $2::timestamptz)
), target AS (
  SELECT c.*, points_level(c.qualifying) AS want,
         (SELECT lc.min_points FROM level_configs lc WHERE lc.level = points_level(c.qualifying)) AS want_min,
         (SELECT lc.min_points FROM level_configs lc WHERE lc.level = c.old_level) AS old_min
  FROM cand c
), next AS (
  SELECT t.user_id, t.old_level, t.total, t.qualifying,
         CASE WHEN t.want_min IS NULL OR t.old_min IS NULL OR t.want_min >= t.old_min THEN t.want
              ELSE (SELECT lc.level FROM level_configs lc WHERE lc.min_points < t.old_min ORDER BY lc.min_points DESC LIMIT 1) END AS level
  FROM target t
), upd AS (
  UPDATE point_balances b SET window_from = $2::timestamptz, qualifying = n.qualifying, level = n.level, updated_at = now()
  FROM next n WHERE b.user_id = n.user_id
  RETURNING b.user_id, n.old_level, b.level, n.total, n.qualifying
)
SELECT u.user_id, u.old_level, u.level, u.total, u.qualifying, lc.name AS level_name
FROM upd u LEFT JOIN level_configs lc ON lc.level = u.level
WHERE u.level <> u.old_level`;

/** The owner of point_balances' window columns, beside the ledger's statements (points-ledger.repository.ts). */
@Injectable()
export class LevelWindowRepository {
  constructor(private readonly db: DataSource) {}

  /** Balances, in user id order after `after`, that an evaluation at this window start has not seen. */
  async dueForEvaluation(windowFrom: Date, after: string | null, limit: number): Promise<string[]> {
    const rows = await this.db.query(
      `SELECT user_id FROM point_balances
       WHERE (window_from IS NULL OR window_from < $1::timestamptz) AND ($2::uuid IS NULL OR user_id > $2::uuid)
       ORDER BY user_id LIMIT $3`,
      [windowFrom, after, limit],
    );
    return rows.map((r: { user_id: string }) => r.user_id);
  }

  /** The level moves of an evaluation of these users at `windowFrom` (those whose level stays are updated, not listed). */
  async evaluate(manager: EntityManager, userIds: string[], windowFrom: Date): Promise<LevelMove[]> {
    const rows = await manager.query(EVALUATE, [userIds, windowFrom]);
    return (rows as Array<Record<string, unknown>>).map((r) => ({
      userId: r.user_id as string,
      previousLevel: Number(r.old_level),
      level: Number(r.level),
      levelName: (r.level_name as string | null) ?? null,
      total: Number(r.total),
      qualifying: Number(r.qualifying),
    }));
  }

  /** Lifetime qualification again (LEVEL_WINDOW_MONTHS back to 0): an administrative change, like new tiers, so no events. */
  async backToLifetime(manager: EntityManager): Promise<number> {
    const [, count] = await manager.query(
      `UPDATE point_balances SET window_from = NULL, qualifying = NULL, level = points_level(total), updated_at = now() WHERE window_from IS NOT NULL`,
    );
    return Number(count);
  }

  /** The user's window: its start, its qualifying points (the row's, else summed from `from`) and its entries, oldest first. */
  async window(userId: string, from: Date): Promise<{ windowFrom: Date; qualifying: number; entries: QualifyingEntry[] }> {
    const [b] = await this.db.query(`SELECT window_from, qualifying FROM point_balances WHERE user_id = $1`, [userId]);
    const windowFrom = b?.window_from ? new Date(b.window_from) : from;
    const rows = await this.db.query(
      `SELECT t.amount, t.created_at FROM point_transactions t
       WHERE t.user_id = $1 AND ${QUALIFYING} AND t.created_at > $2::timestamptz ORDER BY t.created_at, t.id`,
      [userId, windowFrom],
    );
    const entries = rows.map((r: { amount: string; created_at: string }) => ({ amount: Number(r.amount), at: new Date(r.created_at) }));
    const qualifying = b?.qualifying != null ? Number(b.qualifying) : entries.reduce((sum: number, e: QualifyingEntry) => sum + e.amount, 0);
    return { windowFrom, qualifying, entries };
  }
}
