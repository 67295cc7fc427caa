import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

/** A referee is active while they have a purchase, not fully refunded, completed in the last 30 days. */
const ACTIVE_REFEREE = `EXISTS (
  SELECT 1 FROM purchases p
   WHERE p.user_id = r.referee_id AND p.status <> 'refunded' AND p.completed_at > now() - interval '30 days')`;

export interface ReviewedReferral {
  id: string;
  referrerId: string;
  refereeId: string;
  status: string;
  convertedAt: Date | null;
}

@Injectable()
export class ReferralConversionRepository {
  /** Marks the referral converted by this purchase unless it already was (or is rejected); true when it changed. */
  async convert(m: EntityManager, referralId: string, purchaseId: string): Promise<{ referrerId: string } | null> {
    const [[row]] = await m.query(
      `WITH r AS (
         UPDATE referrals SET converted_at = now(), converted_purchase_id = $2,
                status = CASE WHEN status = 'pending' THEN 'converted' ELSE status END
          WHERE id = $1 AND converted_at IS NULL AND status <> 'rejected'
          RETURNING referrer_id
       )
       UPDATE users u SET converted_referrals = u.converted_referrals + 1, updated_at = now()
         FROM r WHERE u.id = r.referrer_id
       RETURNING u.id`,
      [referralId, purchaseId],
    );
    return row ? { referrerId: row.id } : null;
  }

  async convertedPurchaseId(m: EntityManager, referralId: string): Promise<string | null> {
    const [row] = await m.query(`SELECT converted_purchase_id FROM referrals WHERE id = $1`, [referralId]);
    return row?.converted_purchase_id ?? null;
  }

  async attributedReferrerOf(m: EntityManager, refereeId: string): Promise<string | null> {
    const [row] = await m.query(`SELECT referrer_id FROM referrals WHERE referee_id = $1 AND status <> 'rejected'`, [refereeId]);
    return row?.referrer_id ?? null;
  }

  async refreshActive(m: EntityManager, referrerId: string): Promise<void> {
    await m.query(
      `UPDATE users u SET active_referrals = c.n, updated_at = now()
         FROM (SELECT count(*) FILTER (WHERE ${ACTIVE_REFEREE})::int AS n
                 FROM referrals r WHERE r.referrer_id = $1 AND r.status <> 'rejected') c
        WHERE u.id = $1 AND u.active_referrals <> c.n`,
      [referrerId],
    );
  }

  /** Every referrer whose stored count differs from the definition, in one statement; how many changed. */
  async refreshAllActive(m: EntityManager): Promise<number> {
    const [, count] = await m.query(
      `WITH c AS (
         SELECT u.id, (SELECT count(*) FROM referrals r
                        WHERE r.referrer_id = u.id AND r.status <> 'rejected' AND ${ACTIVE_REFEREE})::int AS n
           FROM users u WHERE u.active_referrals > 0 OR EXISTS (SELECT 1 FROM referrals r WHERE r.referrer_id = u.id)
       )
       UPDATE users u SET active_referrals = c.n, updated_at = now()
         FROM c WHERE u.id = c.id AND u.active_referrals <> c.n`,
    );
    return Number(count ?? 0);
  }

  async lockForReview(m: EntityManager, referralId: string): Promise<ReviewedReferral | null> {
    const [row] = await m.query(
      `SELECT id, referrer_id, referee_id, status, converted_at FROM referrals WHERE id = $1 FOR UPDATE`,
      [referralId],
    );
    return row
      ? { id: row.id, referrerId: row.referrer_id, refereeId: row.referee_id, status: row.status, convertedAt: row.converted_at }
      : null;
  }

  async setReviewed(m: EntityManager, referralId: string, status: string, reviewerId: string): Promise<void> {
    await m.query(`UPDATE referrals SET status = $2, reviewed_at = now(), reviewed_by_id = $3 WHERE id = $1`, [
      referralId,
      status,
      reviewerId,
    ]);
  }

  /** A rejected referral no longer counts for its referrer. */
  async uncount(m: EntityManager, referrerId: string, wasConverted: boolean): Promise<void> {
    await m.query(
      `UPDATE users SET total_referrals = GREATEST(total_referrals - 1, 0),
              converted_referrals = GREATEST(converted_referrals - CASE WHEN $2::boolean THEN 1 ELSE 0 END, 0),
              updated_at = now()
        WHERE id = $1`,
      [referrerId, wasConverted],
    );
  }
}
