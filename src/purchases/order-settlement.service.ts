import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock } from '../common/clock';
import { InTx, Tx, UnitOfWork } from '../database/unit-of-work';
import { PointSource } from '../points/entities/point-transaction.entity';
import { PointsService } from '../points/points.service';
import { ReferralStatsService } from '../referrals/referral-stats.service';
import { OrderAward, PurchaseRow, PurchasesRepository } from './purchases.repository';
import { clawbackKey, countsAsEarned, refundedShare } from './reward-rules';

/**
 * Brings an order's awards in line with its state, computed from its purchase_awards so it can run
 * any number of times, in any order with the reward job: held awards whose review and holding
 * period are over are released, awards of a fully refunded order or a rejected referral are
 * voided, and posted awards are clawed back down to what the refunded share allows.
 */
@Injectable()
export class OrderSettlementService {
  private readonly logger = new Logger(OrderSettlementService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly repository: PurchasesRepository,
    private readonly points: PointsService,
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
    private readonly referralStats: ReferralStatsService,
  ) {}

  /**
   * Inside the caller's unit of work (`tx`: a review commits with what it releases) every award
   * of the order is settled there. Without one, each award is settled in its own: the awards
   * move different users' balances and need no atomicity between them, so one beneficiary's
   * failure (or a hot referrer's conflicts) never holds back the others. Every step has a
   * business key and reads the awards under the order's row lock, so re-running after a partial
   * failure finishes the rest and repeats nothing. Throws after trying them all if any failed,
   * so that the job is retried.
   */
  async settle(o: { purchaseId: string } & InTx): Promise<void> {
    const { purchaseId } = o;
    if (o.tx) {
      const tx = o.tx;
      const purchase = await this.repository.lock(tx.manager, purchaseId, 'update');
      if (!purchase) return;
      for (const award of await this.repository.awardsOf(tx.manager, purchaseId, this.clock.now())) await this.settleAward(tx, purchase, award);
      return;
    }
    await this.settleMany([purchaseId]);
  }

  /**
   * `settle` without a unit of work, of many orders: one read finds the awards that could move
   * (usually none, right after they were written), and only those get units of their own.
   */
  async settleMany(purchaseIds: string[]): Promise<void> {
    const m = this.dataSource.manager;
    const purchases = await this.repository.findByIds(m, purchaseIds);
    // Read after the caller's awards committed: a refund committed later settles again itself.
    const awards = await this.repository.awardsOfMany(m, [...purchases.keys()], this.clock.now());
    const failed: string[] = [];
    for (const [purchaseId, purchase] of purchases) {
      for (const award of (awards.get(purchaseId) ?? []).filter((a) => mayMove(a, purchase))) {
        try {
          await this.uow.run((tx) => this.settleOneAward(tx, purchaseId, award.id), { contentionKey: award.userId });
        } catch (error) {
          failed.push(award.key);
          this.logger.warn({ err: error, purchaseId, award: award.key, userId: award.userId }, 'could not settle an award; the others go on');
        }
      }
    }
    if (failed.length > 0) throw new Error(`could not settle ${failed.length} award(s): ${failed.join(', ')}`);
  }

  /** When the order's next held award falls due (the release job's next run), if one is still waiting for its date. */
  async nextRelease(purchaseId: string): Promise<Date | null> {
    const now = this.clock.now();
    const waiting = (await this.repository.awardsOf(this.dataSource.manager, purchaseId, now)).filter((a) => a.state === 'held' && !a.due);
    const dates = waiting.map((a) => a.releaseAfter?.getTime()).filter((t): t is number => t !== undefined);
    return dates.length > 0 ? new Date(Math.min(...dates)) : null;
  }

  /** Purchases with awards held for this referral's review. */
  heldPurchases(tx: Tx, referralId: string): Promise<string[]> {
    return this.repository.purchasesHeldFor(tx.manager, referralId);
  }

  private async settleOneAward(tx: Tx, purchaseId: string, awardId: string): Promise<void> {
    const purchase = await this.repository.lock(tx.manager, purchaseId, 'update');
    if (!purchase) return;
    const award = (await this.repository.awardsOf(tx.manager, purchaseId, this.clock.now())).find((a) => a.id === awardId);
    if (award) await this.settleAward(tx, purchase, award);
  }

  private async settleAward(tx: Tx, purchase: PurchaseRow, award: OrderAward): Promise<void> {
    const m = tx.manager;
    let state = award.state;
    if (state === 'held') {
      const statuses = await this.repository.referralStatuses(m, award.heldFor);
      const reviews = award.heldFor.map((id) => statuses.get(id));
      if (purchase.refundedAmount === purchase.amount || reviews.includes('rejected')) state = 'voided';
      else if (award.due && !reviews.includes('flagged')) state = 'posted';
      if (state !== 'held') {
        if (state === 'posted') await this.points.releasePending({ tx, idempotencyKey: award.key, purchaseId: purchase.id });
        else await this.points.voidPending({ tx, idempotencyKey: award.key, purchaseId: purchase.id });
        const moved = await this.repository.settleAward(m, award.id, state);
        if (moved && state === 'posted' && countsAsEarned(award.role)) await this.referralStats.addEarned(m, award.userId, award.amount);
      }
    }
    if (state === 'posted' && purchase.refundedAmount > 0) await this.clawBack(tx, purchase, award);
  }

  /** Takes back the refunded share of the award (bonuses and commissions alike) beyond what earlier refunds took. */
  private async clawBack(tx: Tx, purchase: PurchaseRow, award: OrderAward): Promise<void> {
    const m = tx.manager;
    const target = refundedShare(award.amount, purchase.refundedAmount, purchase.amount);
    const delta = target - award.clawedBack;
    if (delta <= 0) return;
    const result = await this.points.clawback({
      tx,
      userId: award.userId,
      amount: delta,
      source: award.source as PointSource,
      metadata: {
        purchaseId: purchase.id,
        orderId: purchase.orderId,
        refereeId: award.refereeId,
        role: award.role,
        level: award.level,
        awardKey: award.key,
        refundedAmount: purchase.refundedAmount,
      },
      idempotencyKey: clawbackKey(purchase.id, award.role, award.level, purchase.refundedAmount),
      purchaseId: purchase.id,
      description: `Refund of order ${purchase.orderId.slice(0, 200)}`,
    });
    const linked = await this.repository.linkClawback(m, {
      awardId: award.id,
      ledgerEntryId: result.transaction.id,
      amount: -result.transaction.amount,
      refundedTotal: purchase.refundedAmount,
    });
    if (linked && countsAsEarned(award.role)) await this.referralStats.addEarned(m, award.userId, result.transaction.amount);
  }
}

/** Whether settling could change the award: a held one may be released or voided, a posted one of a refunded order clawed back. */
function mayMove(award: OrderAward, purchase: PurchaseRow): boolean {
  return award.state === 'held' || (award.state === 'posted' && purchase.refundedAmount > 0);
}
