import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Tx, UnitOfWork } from '../database/unit-of-work';
import { NotificationsService } from '../notifications/notifications.service';
import { PointsErrorCode, PointsException } from '../points/points.exception';
import { PointsService } from '../points/points.service';
import { ReferralConversionService } from '../referrals/referral-conversion.service';
import { ReferralStatsService } from '../referrals/referral-stats.service';
import { OrderSettlementService } from './order-settlement.service';
import { NewAward, PurchaseRow, PurchasesRepository } from './purchases.repository';
import { RewardRuleVersionsRepository, RuleVersion } from './reward-rule-versions.repository';
import { AwardHistory, ChainLink, countsAsEarned, isAttributed, planAwards, PlannedAward, RewardChain } from './reward-rules';
import { RewardRulesService } from './reward-rules.service';

/** Award units of batches queue behind each other on one instance instead of failing each other's SERIALIZABLE commits on a shared referrer. */
const AWARD_BATCH_CONTENTION = 'purchase-award-batch';

function awardMetadata(purchase: PurchaseRow, award: PlannedAward, rules: RuleVersion): Record<string, unknown> {
  return {
    purchaseId: purchase.id,
    orderId: purchase.orderId,
    refereeId: purchase.userId,
    role: award.role,
    level: award.level,
    rulesVersion: rules.version,
    ...(award.heldFor.length > 0 ? { heldFor: award.heldFor } : {}),
    ...(award.releaseAfter ? { releaseAfter: award.releaseAfter.toISOString() } : {}),
  };
}

/** The purchase_awards row of an award as the ledger wrote it. */
function linkOf(purchase: PurchaseRow, award: PlannedAward, rules: RuleVersion, entry: { id: string; amount: number; status: string }): NewAward {
  return {
    purchaseId: purchase.id,
    userId: award.userId,
    role: award.role,
    level: award.level,
    ledgerEntryId: entry.id,
    amount: entry.amount,
    state: entry.status === 'pending' ? 'held' : 'posted',
    heldFor: award.heldFor,
    releaseAfter: award.releaseAfter,
    rulesVersion: rules.version,
  };
}

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
    const referral = chain.referral;
    const rules = await this.rules.versionFor(m, purchase);
    const first = await this.uow.run((tx) => this.convert(tx, purchase, chain, referral, rules));
    const awards = planAwards(rules, purchase, chain, first);
    for (const award of awards) await this.award(purchase, award, rules, (history) => planAwards(rules, purchase, chain, first, history));
    await this.settlement.settle({ purchaseId: purchase.id });
  }

  /**
   * The reward jobs of many purchases in two units of work (all conversions, then all awards), so a
   * referrer shared by the batch has its balance and counters moved once. Purchases whose rules cap
   * commission per referral go one by one: their awards must read each other's.
   */
  async rewardMany(purchaseIds: string[]): Promise<void> {
    const ids = [...new Set(purchaseIds)];
    if (ids.length === 1) return this.reward(ids[0]);
    const m = this.dataSource.manager;
    const batch: Array<{ purchase: PurchaseRow; chain: RewardChain; rules: RuleVersion }> = [];
    const alone: string[] = [];
    for (const id of ids) {
      const purchase = await this.repository.findById(m, id);
      if (!purchase) continue;
      const chain = await this.repository.chainOf(m, purchase.userId);
      if (!isAttributed(chain.referral)) continue;
      const rules = await this.rules.versionFor(m, purchase);
      if (rules.maxCommissionPerReferral !== null) alone.push(id);
      else batch.push({ purchase, chain, rules });
    }
    if (batch.length > 0) {
      const firsts = await this.uow.run(async (tx) => {
        const out: boolean[] = [];
        for (const { purchase, chain, rules } of batch) out.push(await this.convert(tx, purchase, chain, chain.referral!, rules));
        return out;
      });
      await this.uow.run((tx) => this.awardMany(tx, batch.map((b, i) => ({ ...b, awards: planAwards(b.rules, b.purchase, b.chain, firsts[i]) }))), {
        contentionKey: AWARD_BATCH_CONTENTION,
      });
      for (const { purchase } of batch) await this.settlement.settle({ purchaseId: purchase.id });
    }
    for (const id of alone) await this.reward(id);
  }

  private async awardMany(tx: Tx, batch: Array<{ purchase: PurchaseRow; rules: RuleVersion; awards: PlannedAward[] }>): Promise<void> {
    const planned: Array<{ purchase: PurchaseRow; rules: RuleVersion; award: PlannedAward }> = [];
    for (const { purchase, rules, awards } of batch) {
      const current = await this.repository.lock(tx.manager, purchase.id, 'share');
      if (!current || current.status === 'refunded') continue;
      for (const award of awards) planned.push({ purchase, rules, award });
    }
    if (planned.length === 0) return;
    const results = await this.points.addPointsMany({
      tx,
      awards: planned.map(({ purchase, rules, award }) => ({
        userId: award.userId,
        amount: award.amount,
        source: award.source,
        metadata: awardMetadata(purchase, award, rules),
        idempotencyKey: award.key,
        purchaseId: purchase.id,
        hold: award.heldFor.length > 0 || award.releaseAfter !== null,
        description: award.description,
      })),
    });
    const links: NewAward[] = [];
    planned.forEach(({ purchase, rules, award }, i) => {
      const result = results[i];
      if (result instanceof PointsException) {
        // A beneficiary deleted since: nothing to award, and retrying would not change that.
        if (result.code === PointsErrorCode.USER_NOT_FOUND) return;
        throw result;
      }
      links.push(linkOf(purchase, award, rules, result.transaction));
    });
    const linked = await this.repository.linkAwards(tx.manager, links);
    const earned = links.filter((l) => linked.has(l.ledgerEntryId) && l.state === 'posted' && countsAsEarned(l.role));
    await this.referralStats.addEarnedMany(tx.manager, earned.map((l) => ({ userId: l.userId, delta: l.amount })));
  }

  /** Whether this purchase is the one that converted the referral (now or in an earlier run of the job). */
  private async convert(tx: Tx, purchase: PurchaseRow, chain: RewardChain, referral: ChainLink, rules: RuleVersion): Promise<boolean> {
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
      const metadata = awardMetadata(purchase, award, rules);
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
        const link = linkOf(purchase, award, rules, result.transaction);
        const linked = await this.repository.linkAward(tx.manager, link);
        if (linked && link.state === 'posted' && countsAsEarned(award.role)) await this.referralStats.addEarned(tx.manager, award.userId, result.transaction.amount);
      } catch (error) {
        // A beneficiary deleted since: nothing to award, and retrying would not change that.
        if (error instanceof PointsException && error.code === PointsErrorCode.USER_NOT_FOUND) return;
        throw error;
      }
    }, { contentionKey: planned.userId });
  }
}
