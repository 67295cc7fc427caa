import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

export interface ReviewedReferral {
  id: string;
  referrerId: string;
  refereeId: string;
  status: string;
  convertedAt: Date | null;
}

@Injectable()
export class ReferralConversionRepository {
  /** Marks the referral converted by this purchase unless it already was (or is rejected); its referrer when it changed. */
  async convert(m: EntityManager, referralId: string, purchaseId: string): Promise<{ referrerId: string } | null> {
    const [row] = await m.query(
      `WITH r AS (
         UPDATE referrals SET converted_at = now(), converted_purchase_id = $2,
                status = CASE WHEN status = 'pending' THEN 'converted' ELSE status END
          WHERE id = $1 AND converted_at IS NULL AND status <> 'rejected'
          RETURNING referrer_id
       )
       INSERT INTO referral_stats AS s (user_id, converted_referrals) SELECT referrer_id, 1 FROM r
       ON CONFLICT (user_id) DO UPDATE SET converted_referrals = s.converted_referrals + 1, updated_at = now()
       RETURNING s.user_id`,
      [referralId, purchaseId],
    );
    return row ? { referrerId: row.user_id } : null;
  }

  async convertedPurchaseId(m: EntityManager, referralId: string): Promise<string | null> {
    const [row] = await m.query(`SELECT converted_purchase_id FROM referrals WHERE id = $1`, [referralId]);
    return row?.converted_purchase_id ?? null;
  }

  async attributedReferrerOf(m: EntityManager, refereeId: string): Promise<string | null> {
    const [row] = await m.query(`SELECT referrer_id FROM referrals WHERE referee_id = $1 AND status <> 'rejected'`, [refereeId]);
    return row?.referrer_id ?? null;
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
}
