import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Tx, UnitOfWork } from '../database/unit-of-work';
import { NotificationsService } from '../notifications/notifications.service';
import { PointsErrorCode, PointsException } from '../points/points.exception';
import { PointsService } from '../points/points.service';
import { ReferralConversionService } from '../referrals/referral-conversion.service';
import { ReferralStatsService } from '../referrals/referral-stats.service';
import { ActiveReferralsRefresh } from './active-referrals-refresh.service';
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

interface RewardInput {
  purchase: PurchaseRow;
  chain: RewardChain;
  rules: RuleVersion;
}

/** Whether the purchase, as locked now, can convert its buyer's referral: not refunded, and large enough. */
function mayConvert(current: PurchaseRow | undefined, rules: RuleVersion): current is PurchaseRow {
  return current !== undefined && current.status !== 'refunded' && current.amount >= rules.minPurchaseAmount;
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
    private readonly activeReferrals: ActiveReferralsRefresh,
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
    await this.activeReferrals.requestMany([referral.referrerId]);
  }

  /**
   * The reward jobs of many purchases in two units of work (all conversions, then all awards), each
   * a few set-based statements, so a referrer shared by the batch has its balance and counters moved
   * once. Purchases whose rules cap commission per referral go one by one: their awards must read
   * each other's.
   */
  async rewardMany(purchaseIds: string[]): Promise<void> {
    const ids = [...new Set(purchaseIds)];
    if (ids.length === 1) return this.reward(ids[0]);
    const m = this.dataSource.manager;
    const found = await this.repository.findByIds(m, ids);
    const purchases = ids.map((id) => found.get(id)).filter((p): p is PurchaseRow => p !== undefined);
    const chains = await this.repository.chainsOf(m, [...new Set(purchases.map((p) => p.userId))]);
    // A buyer nobody referred (or whose referral was rejected) earns nobody anything.
    const attributed = purchases.filter((p) => isAttributed(chains.get(p.userId)!.referral));
    const versions = await this.rules.versionsFor(m, attributed);
    const batch: RewardInput[] = [];
    const alone: string[] = [];
    attributed.forEach((purchase, i) => {
      const rules = versions[i];
      if (rules.maxCommissionPerReferral !== null) alone.push(purchase.id);
      else batch.push({ purchase, chain: chains.get(purchase.userId)!, rules });
    });
    if (batch.length > 0) {
      const firsts = await this.uow.run((tx) => this.convertMany(tx, batch));
      await this.uow.run((tx) => this.awardMany(tx, batch.map((b, i) => ({ ...b, awards: planAwards(b.rules, b.purchase, b.chain, firsts[i]) }))), {
        contentionKey: AWARD_BATCH_CONTENTION,
      });
      await this.settlement.settleMany(batch.map((b) => b.purchase.id));
      await this.activeReferrals.requestMany(batch.map((b) => b.chain.referral!.referrerId));
    }
    for (const id of alone) await this.reward(id);
  }

  /** `convert` of each purchase of the batch (none capping commission), in batch order: a referral is converted by its first eligible purchase. */
  private async convertMany(tx: Tx, batch: RewardInput[]): Promise<boolean[]> {
    const m = tx.manager;
    const current = await this.repository.lockMany(m, batch.map((b) => b.purchase.id), 'share');
    const candidates = new Map<string, RewardInput>();
    for (const b of batch) {
      const referralId = b.chain.referral!.id;
      if (mayConvert(current.get(b.purchase.id), b.rules) && !candidates.has(referralId)) candidates.set(referralId, b);
    }
    const converted = await this.conversion.convertMany(m, [...candidates].map(([referralId, b]) => ({ referralId, purchaseId: b.purchase.id })));
    const others = [...new Set(batch.map((b) => b.chain.referral!.id))].filter((id) => !converted.has(id));
    const convertedBefore = others.length > 0 ? await this.conversion.convertedPurchaseIds(m, others) : new Map<string, string>();
    const notices = [...candidates]
      .filter(([referralId]) => converted.has(referralId))
      .map(([referralId, b]) => this.announceConversion(tx, b, converted.get(referralId)!, 0));
    await this.notifications.createMany(tx, notices);
    return batch.map((b) => {
      const referralId = b.chain.referral!.id;
      return (converted.has(referralId) ? candidates.get(referralId)!.purchase.id : convertedBefore.get(referralId)) === b.purchase.id;
    });
  }

  private async awardMany(tx: Tx, batch: Array<{ purchase: PurchaseRow; rules: RuleVersion; awards: PlannedAward[] }>): Promise<void> {
    const current = await this.repository.lockMany(tx.manager, batch.map((b) => b.purchase.id), 'share');
    const planned: Array<{ purchase: PurchaseRow; rules: RuleVersion; award: PlannedAward }> = [];
    for (const { purchase, rules, awards } of batch) {
      const row = current.get(purchase.id);
      if (!row || row.status === 'refunded') continue;
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
    if (!mayConvert(current ?? undefined, rules)) return (await this.conversion.convertedPurchaseId(m, referral.id)) === purchase.id;
    const converted = await this.conversion.convert(m, referral.id, purchase.id);
    if (!converted) return (await this.conversion.convertedPurchaseId(m, referral.id)) === purchase.id;
    const commissionSoFar =
      rules.maxCommissionPerReferral === null
        ? 0
        : await this.versions.commissionSoFar(m, { referrerId: converted.referrerId, refereeId: purchase.userId, exceptPurchaseId: purchase.id });
    await this.notifications.create({ tx, ...this.announceConversion(tx, { purchase, chain, rules }, converted.referrerId, commissionSoFar) });
    return true;
  }

  /** Records the `referral.converted` webhook event; the referrer's notification, for the caller to store. */
  private announceConversion(tx: Tx, { purchase, chain, rules }: RewardInput, referrerId: string, commissionSoFar: number) {
    tx.record('webhook-event', {
      type: 'referral.converted',
      data: { referralId: chain.referral!.id, referrerId, refereeId: purchase.userId, purchaseId: purchase.id },
    });
    const earned = planAwards(rules, purchase, chain, true, { commissionSoFar }).filter((a) => a.userId === referrerId && a.level === 1);
    const points = earned.reduce((sum, a) => sum + a.amount, 0);
    const held = earned.some((a) => a.heldFor.length > 0 || a.releaseAfter);
    return {
      userId: referrerId,
      type: 'referral-converted' as const,
      title: 'Your friend made their first purchase',
      message: `Your friend made their first purchase — you earned ${points} points${held ? ' (pending until released)' : ''}.`,
    };
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
