import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { cursorTimeSql, ListCursor } from '../common/pagination/list-cursor';
import { PointTransactionType } from './entities/point-transaction.entity';
import { Balances, LedgerEntry, toEntry } from './points-ledger.repository';

export interface LeaderboardRow {
  rank: number;
  userId: string;
  name: string;
  totalReferrals: number;
  convertedReferrals: number;
  totalEarned: number;
}


/** The referral counters are referral_stats' (referrals); a user with no row there has none. */
const LEADER_COLUMNS = (u: string, s: string) =>
  `${u}.id, ${u}.name, COALESCE(${s}.total_referrals, 0) AS total_referrals, COALESCE(${s}.converted_referrals, 0) AS converted_referrals,
   COALESCE(${s}.total_earned, 0) AS total_earned`;

/** Reads of balances, history and the leaderboard; nothing here writes. */
@Injectable()
export class PointsQueryRepository {
  constructor(private readonly db: DataSource) {}

  /** A user without a balance row (nothing written to their ledger yet) has zero balances. */
  async findBalances(userId: string): Promise<Balances | null> {
    return (await this.findBalancesOf([userId])).get(userId) ?? null;
  }

  /** The balances of each of these active users, in one query; absent users are left out, a user without a row has zeros. */
  async findBalancesOf(userIds: string[]): Promise<Map<string, Balances>> {
    const rows = await this.db.query(
      `SELECT u.id, b.total, b.available, b.pending, b.debt, COALESCE(b.level, points_level(0)) AS level, b.seq
       FROM users u LEFT JOIN point_balances b ON b.user_id = u.id
       WHERE u.id = ANY($1::uuid[]) AND u.deleted_at IS NULL`,
      [userIds],
    );
    return new Map(
      rows.map((row: Record<string, any>) => [
        row.id,
        {
          total: Number(row.total ?? 0),
          available: Number(row.available ?? 0),
          pending: Number(row.pending ?? 0),
          debt: Number(row.debt ?? 0),
          level: row.level,
          seq: Number(row.seq ?? 0),
        },
      ]),
    );
  }

  /** Users with lots due at `now` that still hold points. */
  async usersWithDueLots(now: Date): Promise<string[]> {
    const rows = await this.db.query(`SELECT DISTINCT user_id FROM point_lots WHERE remaining > 0 AND expires_at <= $1::timestamptz`, [now]);
    return rows.map((r: { user_id: string }) => r.user_id);
  }

  /** Users with lots expiring within `days` of `now` that were not reminded yet. */
  async usersToRemind(now: Date, days: number): Promise<string[]> {
    const rows = await this.db.query(
      `SELECT DISTINCT user_id FROM point_lots
       WHERE remaining > 0 AND reminded_at IS NULL
         AND expires_at > $1::timestamptz AND expires_at <= $1::timestamptz + make_interval(days => $2::int)`,
      [now, days],
    );
    return rows.map((r: { user_id: string }) => r.user_id);
  }

  /** Where a reminder is mailed: an open account's address and name. */
  async mailingAddress(userId: string): Promise<{ email: string; name: string } | null> {
    const [row] = await this.db.query(`SELECT email, name FROM users WHERE id = $1 AND deleted_at IS NULL`, [userId]);
    return row ? { email: row.email, name: row.name } : null;
  }

  /**
   * The points of the user's soonest-expiring lots that expire within `days` of `now`: the lots
   * expiring on the same UTC day as the soonest one, and when the first of them expires.
   */
  async expiring(userId: string, now: Date, days: number): Promise<{ amount: number; at: Date } | null> {
    const [row] = await this.db.query(
      `WITH soon AS (
         SELECT remaining, expires_at, date_trunc('day', expires_at AT TIME ZONE 'UTC') AS day FROM point_lots
         WHERE user_id = $1 AND remaining > 0 AND expires_at <= $2::timestamptz + make_interval(days => $3::int)
       )
       SELECT SUM(remaining) AS amount, MIN(expires_at) AS at FROM soon WHERE day = (SELECT MIN(day) FROM soon)`,
      [userId, now, days],
    );
    return row?.at ? { amount: Number(row.amount), at: new Date(row.at) } : null;
  }

  /** Newest first, walking the (user_id, created_at DESC, id DESC) index from the cursor. */
  async listTransactions(
    userId: string,
    limit: number,
    after: ListCursor | undefined,
    type: PointTransactionType | undefined,
  ): Promise<Array<{ entry: LedgerEntry; cursor: ListCursor }>> {
    const rows = await this.db.query(
      `SELECT *, ${cursorTimeSql('created_at')} AS cursor_time FROM point_transactions
       WHERE user_id = $1
         AND ($2::timestamptz IS NULL OR (created_at, id) < ($2::timestamptz, $3::uuid))
         AND ($4::text IS NULL OR type = $4::text)
       ORDER BY created_at DESC, id DESC
       LIMIT $5`,
      [userId, after?.createdAt ?? null, after?.id ?? null, type ?? null, limit],
    );
    return rows.map((r: Record<string, unknown>) => ({ entry: toEntry(r), cursor: { createdAt: r.cursor_time as string, id: r.id as string } }));
  }

  /** The top of the board straight off referral_stats_leaderboard_idx: only open accounts with a referral rank. */
  async leaders(limit: number): Promise<LeaderboardRow[]> {
    const rows = await this.db.query(
      `SELECT ${LEADER_COLUMNS('u', 's')} FROM referral_stats s JOIN users u ON u.id = s.user_id
       WHERE NOT s.closed AND s.total_referrals > 0
       ORDER BY s.total_referrals DESC, s.last_referral_at ASC, s.user_id ASC
       LIMIT $1`,
      [limit],
    );
    return rows.map((r: Record<string, unknown>, i: number) => toRow(r, i + 1));
  }

  /**
   * The caller's rank without ranking everyone: 1 + the users ahead. Those with more referrals
   * come from referral_rank_counts (one row per referral count, kept by a trigger); those with
   * as many who reached it first, from one index-only range of referral_stats_leaderboard_idx. Users with
   * no referrals share the rank after every user who has some.
   */
  async rankOf(userId: string): Promise<LeaderboardRow | null> {
    // One statement, so last_referral_at is compared at PostgreSQL's microsecond precision.
    const [me] = await this.db.query(
      `SELECT ${LEADER_COLUMNS('me', 's')},
              1 + (SELECT COALESCE(sum(c.users), 0) FROM referral_rank_counts c WHERE c.total_referrals > COALESCE(s.total_referrals, 0))
                + (SELECT count(*) FROM referral_stats o
                    WHERE s.total_referrals > 0 AND NOT o.closed AND o.total_referrals = s.total_referrals
                      AND CASE WHEN s.last_referral_at IS NULL
                               THEN o.last_referral_at IS NOT NULL OR o.user_id < s.user_id
                               ELSE (o.last_referral_at, o.user_id) < (s.last_referral_at, s.user_id) END) AS rank
         FROM users me LEFT JOIN referral_stats s ON s.user_id = me.id WHERE me.id = $1 AND me.deleted_at IS NULL`,
      [userId],
    );
    return me ? toRow(me, Number(me.rank)) : null;
  }
}

function toRow(r: Record<string, unknown>, rank: number): LeaderboardRow {
  return {
    rank,
    userId: r.id as string,
    name: r.name as string,
    totalReferrals: Number(r.total_referrals),
    convertedReferrals: Number(r.converted_referrals),
    totalEarned: Number(r.total_earned),
  };
}
