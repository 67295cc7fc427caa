import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { ReferralConversionRepository, ReviewedReferral } from './referral-conversion.repository';
import { ReferralStatsRepository } from './referral-stats.repository';
import { ReferralsErrorCode, ReferralsException } from './referrals.exception';

/**
 * The referral lifecycle after sign-up: conversion on the first purchase, review of flagged
 * referrals, and the referrer's converted/active counters. Conversion and review run in the
 * caller's transaction; the active-referral recounts open short ones of their own.
 */
@Injectable()
export class ReferralConversionService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly repository: ReferralConversionRepository,
    private readonly stats: ReferralStatsRepository,
  ) {}

  /** Converts the referral with this purchase if nothing converted it before; the referrer when it did. */
  convert(m: EntityManager, referralId: string, purchaseId: string): Promise<{ referrerId: string } | null> {
    return this.repository.convert(m, referralId, purchaseId);
  }

  /** `convert` of many referrals, each named once; the referrer of each referral converted now. */
  convertMany(m: EntityManager, conversions: Array<{ referralId: string; purchaseId: string }>): Promise<Map<string, string>> {
    if (new Set(conversions.map((c) => c.referralId)).size !== conversions.length) throw new Error('convertMany: a referral named twice');
    return this.repository.convertMany(m, conversions);
  }

  convertedPurchaseId(m: EntityManager, referralId: string): Promise<string | null> {
    return this.repository.convertedPurchaseId(m, referralId);
  }

  convertedPurchaseIds(m: EntityManager, referralIds: string[]): Promise<Map<string, string>> {
    return this.repository.convertedPurchaseIds(m, referralIds);
  }

  /** Who referred `refereeId`, unless that referral was rejected. */
  attributedReferrerOf(refereeId: string): Promise<string | null> {
    return this.repository.attributedReferrerOf(this.dataSource.manager, refereeId);
  }

  /** Recounts one referrer's active referees in a short transaction of its own (see ActiveReferralsRefresh). */
  refreshActiveNow(referrerId: string): Promise<void> {
    return this.dataSource.transaction((m) => this.stats.refreshActive(m, referrerId));
  }

  /** The daily pass: corrects every referrer whose referees' purchases aged out of the 30 days. */
  refreshAllActive(): Promise<number> {
    return this.dataSource.transaction((m) => this.stats.refreshAllActive(m));
  }


  /**
   * Approves (→ converted if a purchase converted it, else pending) or rejects a flagged referral.
   * 404 for an unknown id, 409 REFERRAL_NOT_FLAGGED for one that is not awaiting review.
   */
  async review(m: EntityManager, referralId: string, decision: 'approve' | 'reject', reviewerId: string): Promise<ReviewedReferral> {
    const referral = await this.repository.lockForReview(m, referralId);
    if (!referral) throw new ReferralsException(ReferralsErrorCode.REFERRAL_NOT_FOUND, 'No referral has this id');
    if (referral.status !== 'flagged') {
      throw new ReferralsException(ReferralsErrorCode.REFERRAL_NOT_FLAGGED, `The referral is ${referral.status}, not flagged`);
    }
    const status = decision === 'reject' ? 'rejected' : referral.convertedAt ? 'converted' : 'pending';
    await this.repository.setReviewed(m, referralId, status, reviewerId);
    if (status === 'rejected') {
      await this.stats.uncount(m, referral.referrerId, referral.convertedAt !== null);
    }
    return { ...referral, status };
  }
}
