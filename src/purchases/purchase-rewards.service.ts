import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { UnitOfWork } from '../database/unit-of-work';
import { NotificationsService } from '../notifications/notifications.service';
import { PointsErrorCode, PointsException } from '../points/points.exception';
import { PointsService } from '../points/points.service';
import { ReferralConversionService } from '../referrals/referral-conversion.service';
import { ReferralStatsService } from '../referrals/referral-stats.service';
import { OrderSettlementService } from './order-settlement.service';
import { PurchaseRow, PurchasesRepository } from './purchases.repository';
import { RewardRuleVersionsRepository, RuleVersion } from './reward-rule-versions.repository';
import { AwardHistory, ChainLink, countsAsEarned, isAttributed, planAwards, PlannedAward, RewardChain } from './reward-rules';
import { RewardRulesService } from './reward-rules.service';

/**
 * The reward job of one purchase. Each step is its own SERIALIZABLE transaction and every award
 * has its business key, so a worker killed anywhere leaves a job that pg-boss re-runs to the
 * same end: conversion once, each award once, then the order settled against any refund.
 */
@Injectable()
export class PurchaseRewardsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly uow: UnitOfWork,
    private readonly repository: PurchasesRepository,
    private readonly points: PointsService,
    private readonly conversion: ReferralConversionService,
    private readonly notifications: NotificationsService,
    private readonly settlement: OrderSettlementService,
    private readonly referralStats: ReferralStatsService,
    private readonly rules: RewardRulesService,
    private readonly versions: RewardRuleVersionsRepository,
  ) {}

  async reward(purchaseId: string): Promise<void> {
    const m = this.dataSource.manager;
    const purchase = await this.repository.findById(m, purchaseId);
    if (!purchase) return;
    const chain = await this.repository.chainOf(m, purchase.userId);
    // A buyer nobody referred (or whose referral was rejected) earns nobody anything.
    if (!isAttributed(chain.referral)) return;
    const rules = await this.rules.versionFor(m, purchase);
    const first = await this.convert(purchase, chain, chain.referral, rules);
    const awards = planAwards(rules, purchase, chain, first);
    for (const award of awards) await this.award(purchase, award, rules, (history) => planAwards(rules, purchase, chain, first, history));
    await this.settlement.settle({ purchaseId: purchase.id });
  }

  /** Whether this purchase is the one that converted the referral (now or in an earlier run of the job). */
  private async convert(purchase: PurchaseRow, chain: RewardChain, referral: ChainLink, rules: RuleVersion): Promise<boolean> {
    return this.uow.run(async (tx) => {
      const m = tx.manager;
      const current = await this.repository.lock(m, purchase.id, 'share');
      if (!current || current.status === 'refunded' || current.amount < rules.minPurchaseAmount) {
        return (await this.conversion.convertedPurchaseId(m, referral.id)) === purchase.id;
      }
      const converted = await this.conversion.convert(m, referral.id, purchase.id);
      if (!converted) return (await this.conversion.convertedPurchaseId(m, referral.id)) === purchase.id;
      tx.record('webhook-event', {
        type: 'referral.converted',
        data: { referralId: referral.id, referrerId: converted.referrerId, refereeId: purchase.userId, purchaseId: purchase.id },
      });
      const commissionSoFar =
        rules.maxCommissionPerReferral === null
          ? 0
          : await this.versions.commissionSoFar(m, { referrerId: converted.referrerId, refereeId: purchase.userId, exceptPurchaseId: purchase.id });
      const earned = planAwards(rules, purchase, chain, true, { commissionSoFar }).filter((a) => a.userId === converted.referrerId && a.level === 1);
      const points = earned.reduce((sum, a) => sum + a.amount, 0);
      const held = earned.some((a) => a.heldFor.length > 0 || a.releaseAfter);
      await this.notifications.create({
        tx,
        userId: converted.referrerId,
        type: 'referral-converted',
        title: 'Your friend made their first purchase',
        message: `Your friend made their first purchase — you earned ${points} points${held ? ' (pending until released)' : ''}.`,
      });
      return true;
    });
  }

  /** `replan` runs the rule function again with what the referee already earned its referrer, read in this transaction. */
  private async award(purchase: PurchaseRow, planned: PlannedAward, rules: RuleVersion, replan: (history: AwardHistory) => PlannedAward[]): Promise<void> {
    await this.uow.run(async (tx) => {
      const current = await this.repository.lock(tx.manager, purchase.id, 'share');
      if (!current || current.status === 'refunded') return;
      let award: PlannedAward | undefined = planned;
      if (rules.maxCommissionPerReferral !== null && planned.role === 'commission' && planned.level === 1) {
        const commissionSoFar = await this.versions.commissionSoFar(tx.manager, { referrerId: planned.userId, refereeId: purchase.userId, exceptPurchaseId: purchase.id });
        award = replan({ commissionSoFar }).find((a) => a.key === planned.key);
        if (!award) return;
      }
      const metadata = {
        purchaseId: purchase.id,
        orderId: purchase.orderId,
        refereeId: purchase.userId,
        role: award.role,
        level: award.level,
        rulesVersion: rules.version,
        ...(award.heldFor.length > 0 ? { heldFor: award.heldFor } : {}),
        ...(award.releaseAfter ? { releaseAfter: award.releaseAfter.toISOString() } : {}),
      };
      const hold = award.heldFor.length > 0 || award.releaseAfter !== null;
      try {
        const result = await this.points.addPoints({
          tx,
          userId: award.userId,
          amount: award.amount,
          source: award.source,
          metadata,
          idempotencyKey: award.key,
          purchaseId: purchase.id,
          hold,
          description: award.description,
        });
        const held = result.transaction.status === 'pending';
        const linked = await this.repository.linkAward(tx.manager, {
          purchaseId: purchase.id,
          userId: award.userId,
          role: award.role,
          level: award.level,
          ledgerEntryId: result.transaction.id,
          amount: result.transaction.amount,
          state: held ? 'held' : 'posted',
          heldFor: award.heldFor,
          releaseAfter: award.releaseAfter,
          rulesVersion: rules.version,
        });
        if (linked && !held && countsAsEarned(award.role)) await this.referralStats.addEarned(tx.manager, award.userId, result.transaction.amount);
      } catch (error) {
        // A beneficiary deleted since: nothing to award, and retrying would not change that.
        if (error instanceof PointsException && error.code === PointsErrorCode.USER_NOT_FOUND) return;
        throw error;
      }
    }, { contentionKey: planned.userId });
  }
}
