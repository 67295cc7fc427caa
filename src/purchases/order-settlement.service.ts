import { Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { runSerializable } from '../database/serializable';
import { DomainEvent } from '../notifications/realtime-events';
import { RealtimeService } from '../notifications/realtime.service';
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
    private readonly realtime: RealtimeService,
    private readonly referralStats: ReferralStatsService,
  ) {}

  /**
   * Settles each award in its own transaction: the awards move different users' balances and
   * need no atomicity between them, so one beneficiary's failure (or a hot referrer's conflicts)
   * never holds back the others. Every step has a business key and reads the awards under the
   * order's row lock, so re-running after a partial failure finishes the rest and repeats nothing.
   * Throws after trying them all if any failed, so that the job is retried.
   */
  async settle(purchaseId: string): Promise<void> {
    const awards = await this.repository.awardsOf(this.dataSource.manager, purchaseId);
    const failed: string[] = [];
    for (const award of awards) {
      try {
        const events = await runSerializable(this.dataSource, (m) => this.settleAwardIn(m, purchaseId, award.id), {
          contentionKey: award.userId,
        });
        this.realtime.publish(events);
      } catch (error) {
        failed.push(award.key);
        this.logger.warn({ err: error, purchaseId, award: award.key, userId: award.userId }, 'could not settle an award; the others go on');
      }
    }
    if (failed.length > 0) throw new Error(`could not settle ${failed.length} award(s) of purchase ${purchaseId}: ${failed.join(', ')}`);
  }

  /** Purchases with awards held for this referral's review. */
  heldPurchases(m: EntityManager, referralId: string): Promise<string[]> {
    return this.repository.purchasesHeldFor(m, referralId);
  }

  /** Every award of the order inside the caller's transaction (a review commits with what it releases); the events to publish after commit. */
  async settleIn(m: EntityManager, purchaseId: string): Promise<DomainEvent[]> {
    const purchase = await this.repository.lock(m, purchaseId, 'update');
    if (!purchase) return [];
    const events: DomainEvent[] = [];
    for (const award of await this.repository.awardsOf(m, purchaseId)) events.push(...(await this.settleAward(m, purchase, award)));
    return events;
  }

  private async settleAwardIn(m: EntityManager, purchaseId: string, awardId: string): Promise<DomainEvent[]> {
    const purchase = await this.repository.lock(m, purchaseId, 'update');
    if (!purchase) return [];
    const award = (await this.repository.awardsOf(m, purchaseId)).find((a) => a.id === awardId);
    return award ? this.settleAward(m, purchase, award) : [];
  }

  private async settleAward(m: EntityManager, purchase: PurchaseRow, award: OrderAward): Promise<DomainEvent[]> {
    const events: DomainEvent[] = [];
    let state = award.state;
    if (state === 'held') {
      const statuses = await this.repository.referralStatuses(m, award.heldFor);
      const reviews = award.heldFor.map((id) => statuses.get(id));
      if (purchase.refundedAmount === purchase.amount || reviews.includes('rejected')) state = 'voided';
      else if (award.due && !reviews.includes('flagged')) state = 'posted';
      if (state !== 'held') {
        events.push(...(await this.points.settleIn(m, award.key, state)).events);
        const moved = await this.repository.settleAward(m, award.id, state);
        if (moved && state === 'posted' && countsAsEarned(award.role)) await this.referralStats.addEarned(m, award.userId, award.amount);
      }
    }
    if (state === 'posted' && purchase.refundedAmount > 0) events.push(...(await this.clawBack(m, purchase, award)));
    return events;
  }

  /** Takes back the refunded share of the award (bonuses and commissions alike) beyond what earlier refunds took. */
  private async clawBack(m: EntityManager, purchase: PurchaseRow, award: OrderAward): Promise<DomainEvent[]> {
    const target = refundedShare(award.amount, purchase.refundedAmount, purchase.amount);
    const delta = target - award.clawedBack;
    if (delta <= 0) return [];
    const result = await this.points.clawbackIn(
      m,
      award.userId,
      delta,
      award.source as PointSource,
      {
        purchaseId: purchase.id,
        orderId: purchase.orderId,
        refereeId: award.refereeId,
        role: award.role,
        level: award.level,
        awardKey: award.key,
        refundedAmount: purchase.refundedAmount,
      },
      clawbackKey(purchase.id, award.role, award.level, purchase.refundedAmount),
      `Refund of order ${purchase.orderId.slice(0, 200)}`,
    );
    const linked = await this.repository.linkClawback(m, {
      awardId: award.id,
      ledgerEntryId: result.transaction.id,
      amount: -result.transaction.amount,
      refundedTotal: purchase.refundedAmount,
    });
    if (linked && countsAsEarned(award.role)) await this.referralStats.addEarned(m, award.userId, result.transaction.amount);
    return result.events;
  }
}
