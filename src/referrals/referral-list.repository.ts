import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { cursorTimeSql, ListCursor } from '../common/pagination/list-cursor';

export interface ReferralListRow {
  id: string;
  name: string;
  email: string;
  status: string;
  level: number;
  joinedAt: Date;
  convertedAt: Date | null;
  pointsEarned: number;
  cursorAt: string;
}

export interface ReferralStats {
  totalReferrals: number;
  activeReferrals: number;
  convertedReferrals: number;
  totalEarned: number;
}

export interface RefereeReferral {
  refereeId: string;
  referrerId: string;
  status: string;
  reasons: string[];
}

@Injectable()
export class ReferralListRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * The referrer's referees (level 1, rejected ones included so the referrer sees what did not
   * count) and, with depth 2, the attributed referees of their attributed referees (level 2),
   * newest first. pointsEarned sums the referrer's awards (held or posted, net of clawbacks) on that referee's purchases.
   */
  async page(referrerId: string, opts: { depth: 1 | 2; limit: number; after?: ListCursor }): Promise<ReferralListRow[]> {
    const rows = await this.db.query(
      `WITH tree AS (
         SELECT r.id, r.referee_id, r.status, r.created_at, r.converted_at, 1 AS level
           FROM referrals r WHERE r.referrer_id = $1
         UNION ALL
         SELECT r2.id, r2.referee_id, r2.status, r2.created_at, r2.converted_at, 2 AS level
           FROM referrals r1 JOIN referrals r2 ON r2.referrer_id = r1.referee_id
          WHERE $2::int >= 2 AND r1.referrer_id = $1 AND r1.status <> 'rejected' AND r2.status <> 'rejected'
       ), page AS (
         SELECT t.*, u.name, u.email FROM tree t JOIN users u ON u.id = t.referee_id
          WHERE $4::timestamptz IS NULL OR (t.created_at, t.id) < ($4::timestamptz, $5::uuid)
          ORDER BY t.created_at DESC, t.id DESC
          LIMIT $3
       ), earned AS (
         -- One pass over the referrer's awards for the whole page, not one per row.
         SELECT pu.user_id AS referee_id, sum(a.amount - a.clawed_back) AS points
           FROM purchase_awards a JOIN purchases pu ON pu.id = a.purchase_id
          WHERE a.user_id = $1 AND a.state <> 'voided'
            AND pu.user_id IN (SELECT referee_id FROM page)
          GROUP BY 1
       )
       SELECT pg.id, pg.name, pg.email, pg.status, pg.level, pg.created_at AS joined_at, pg.converted_at,
              ${cursorTimeSql('pg.created_at')} AS cursor_at, COALESCE(e.points, 0)::bigint AS points_earned
         FROM page pg LEFT JOIN earned e ON e.referee_id = pg.referee_id
        ORDER BY pg.created_at DESC, pg.id DESC`,
      [referrerId, opts.depth, opts.limit, opts.after?.createdAt ?? null, opts.after?.id ?? null],
    );
    return rows.map((r: Record<string, any>) => ({
      id: r.id,
      name: r.name,
      email: r.email,
      status: r.status,
      level: r.level,
      joinedAt: r.joined_at,
      convertedAt: r.converted_at,
      pointsEarned: Number(r.points_earned),
      cursorAt: r.cursor_at,
    }));
  }

  async stats(userId: string): Promise<ReferralStats | undefined> {
    return (await this.statsOf([userId])).get(userId);
  }

  /** Each active user's counters; a user without a referral_stats row has zeros. */
  async statsOf(userIds: string[]): Promise<Map<string, ReferralStats>> {
    const rows = await this.db.query(
      `SELECT u.id, s.total_referrals, s.active_referrals, s.converted_referrals, s.total_earned
         FROM users u LEFT JOIN referral_stats s ON s.user_id = u.id WHERE u.id = ANY($1::uuid[]) AND u.deleted_at IS NULL`,
      [userIds],
    );
    return new Map(
      rows.map((row: Record<string, any>) => [
        row.id,
        {
          totalReferrals: row.total_referrals ?? 0,
          activeReferrals: row.active_referrals ?? 0,
          convertedReferrals: row.converted_referrals ?? 0,
          totalEarned: Number(row.total_earned ?? 0),
        },
      ]),
    );
  }

  /** The referral (any status) that brought each of these users in, by referee. */
  async referralsOfReferees(refereeIds: string[]): Promise<Map<string, RefereeReferral>> {
    const rows = await this.db.query(
      `SELECT referee_id, referrer_id, status, reasons FROM referrals WHERE referee_id = ANY($1::uuid[])`,
      [refereeIds],
    );
    return new Map(
      rows.map((r: Record<string, any>) => [
        r.referee_id,
        { refereeId: r.referee_id, referrerId: r.referrer_id, status: r.status, reasons: r.reasons },
      ]),
    );
  }
}
