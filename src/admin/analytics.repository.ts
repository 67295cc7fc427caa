import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

export interface AnalyticsRow {
  clicks: number;
  signups: number;
  referredSignups: number;
  convertedReferrals: number;
  pointsAwarded: number;
  pointsRedeemed: number;
  flaggedReferrals: number;
  byDay: Array<{ date: string; clicks: number; signups: number; referredSignups: number; convertedReferrals: number; pointsAwarded: number; pointsRedeemed: number }>;
}

/*
 * One statement: each source is aggregated per UTC day over its indexed timestamp in [from, to),
 * joined to the generated days, and the totals are summed from those days.
 */
const ANALYTICS = `
WITH days AS (
  SELECT d::date AS day
    FROM generate_series(date_trunc('day', $1::timestamptz AT TIME ZONE 'UTC'),
                         date_trunc('day', ($2::timestamptz - interval '1 microsecond') AT TIME ZONE 'UTC'),
                         interval '1 day') d
), clicks AS (
  SELECT (created_at AT TIME ZONE 'UTC')::date AS day, count(*) AS n
    FROM referral_clicks WHERE created_at >= $1 AND created_at < $2 GROUP BY 1
), signups AS (
  SELECT (created_at AT TIME ZONE 'UTC')::date AS day, count(*) AS n
    FROM users WHERE created_at >= $1 AND created_at < $2 GROUP BY 1
), referred AS (
  SELECT (created_at AT TIME ZONE 'UTC')::date AS day, count(*) FILTER (WHERE status <> 'rejected') AS n,
         count(*) FILTER (WHERE status = 'flagged') AS flagged
    FROM referrals WHERE created_at >= $1 AND created_at < $2 GROUP BY 1
), converted AS (
  SELECT (converted_at AT TIME ZONE 'UTC')::date AS day, count(*) AS n
    FROM referrals WHERE converted_at >= $1 AND converted_at < $2 AND status <> 'rejected' GROUP BY 1
), points AS (
  SELECT (created_at AT TIME ZONE 'UTC')::date AS day,
         COALESCE(sum(amount) FILTER (WHERE type = 'earn' AND status <> 'voided'), 0) AS awarded,
         COALESCE(-sum(amount) FILTER (WHERE type = 'spend' AND source = 'redeem'), 0) AS redeemed
    FROM point_transactions WHERE created_at >= $1 AND created_at < $2 GROUP BY 1
), daily AS (
  SELECT to_char(d.day, 'YYYY-MM-DD') AS date,
         COALESCE(c.n, 0)::bigint AS clicks, COALESCE(s.n, 0)::bigint AS signups,
         COALESCE(r.n, 0)::bigint AS referred, COALESCE(r.flagged, 0)::bigint AS flagged,
         COALESCE(v.n, 0)::bigint AS converted,
         COALESCE(p.awarded, 0)::bigint AS awarded, COALESCE(p.redeemed, 0)::bigint AS redeemed
    FROM days d
    LEFT JOIN clicks c ON c.day = d.day LEFT JOIN signups s ON s.day = d.day
    LEFT JOIN referred r ON r.day = d.day LEFT JOIN converted v ON v.day = d.day
    LEFT JOIN points p ON p.day = d.day
)
SELECT COALESCE(sum(clicks), 0) AS clicks, COALESCE(sum(signups), 0) AS signups,
       COALESCE(sum(referred), 0) AS referred, COALESCE(sum(converted), 0) AS converted,
       COALESCE(sum(awarded), 0) AS awarded, COALESCE(sum(redeemed), 0) AS redeemed,
       COALESCE(sum(flagged), 0) AS flagged,
       COALESCE(json_agg(json_build_object(
         'date', date, 'clicks', clicks, 'signups', signups, 'referredSignups', referred,
         'convertedReferrals', converted, 'pointsAwarded', awarded, 'pointsRedeemed', redeemed) ORDER BY date)
         FILTER (WHERE date IS NOT NULL), '[]'::json) AS by_day
  FROM daily`;

@Injectable()
export class AnalyticsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async aggregate(from: Date, to: Date): Promise<AnalyticsRow> {
    const [r] = await this.db.query(ANALYTICS, [from.toISOString(), to.toISOString()]);
    const n = (v: unknown) => Number(v);
    return {
      clicks: n(r.clicks),
      signups: n(r.signups),
      referredSignups: n(r.referred),
      convertedReferrals: n(r.converted),
      pointsAwarded: n(r.awarded),
      pointsRedeemed: n(r.redeemed),
      flaggedReferrals: n(r.flagged),
      byDay: r.by_day,
    };
  }
}
