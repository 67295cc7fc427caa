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
    const referrerId = (await this.convertMany(m, [{ referralId, purchaseId }])).get(referralId);
    return referrerId ? { referrerId } : null;
  }

  /**
   * `convert` of many referrals (each once) in one statement; the referrer of each referral it
   * converted. A referrer of several counts them all in one row update.
   */
  async convertMany(m: EntityManager, conversions: Array<{ referralId: string; purchaseId: string }>): Promise<Map<string, string>> {
    if (conversions.length === 0) return new Map();
    const rows: Array<{ id: string; referrer_id: string }> = await m.query(
      `WITH c AS (SELECT * FROM unnest($1::uuid[], $2::uuid[]) AS c(referral_id, purchase_id)),
       r AS (
         UPDATE referrals SET converted_at = now(), converted_purchase_id = c.purchase_id,
                status = CASE WHEN status = 'pending' THEN 'converted' ELSE status END
           FROM c
          WHERE referrals.id = c.referral_id AND referrals.converted_at IS NULL AND referrals.status <> 'rejected'
          RETURNING referrals.id, referrals.referrer_id
       ), s AS (
         INSERT INTO referral_stats AS s (user_id, converted_referrals)
         SELECT referrer_id, count(*) FROM r GROUP BY referrer_id ORDER BY referrer_id
         ON CONFLICT (user_id) DO UPDATE SET converted_referrals = s.converted_referrals + EXCLUDED.converted_referrals, updated_at = now()
       )
       SELECT id, referrer_id FROM r`,
      [conversions.map((c) => c.referralId), conversions.map((c) => c.purchaseId)],
    );
    return new Map(rows.map((r) => [r.id, r.referrer_id]));
  }

  async convertedPurchaseId(m: EntityManager, referralId: string): Promise<string | null> {
    return (await this.convertedPurchaseIds(m, [referralId])).get(referralId) ?? null;
  }

  /** The purchase that converted each referral, for those a purchase converted. */
  async convertedPurchaseIds(m: EntityManager, referralIds: string[]): Promise<Map<string, string>> {
    const rows: Array<{ id: string; converted_purchase_id: string }> = await m.query(
      `SELECT id, converted_purchase_id FROM referrals WHERE id = ANY($1::uuid[]) AND converted_purchase_id IS NOT NULL`,
      [referralIds],
    );
    return new Map(rows.map((r) => [r.id, r.converted_purchase_id]));
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
