import { Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { runSerializable } from '../database/serializable';
import { DomainEvent } from '../notifications/realtime-events';
import { RealtimeService } from '../notifications/realtime.service';
import { PointSource } from '../points/entities/point-transaction.entity';
import { PointsService } from '../points/points.service';
import { OrderEntry, PurchaseRow, PurchasesRepository } from './purchases.repository';
import { clawbackKey, refundedShare } from './reward-rules';

/**
 * Brings an order's awards in line with its state, computed from the ledger alone so it can run
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
  ) {}

  /**
   * Settles each award in its own transaction: the awards move different users' balances and
   * need no atomicity between them, so one beneficiary's failure (or a hot referrer's conflicts)
   * never holds back the others. Every step has a business key and reads the ledger under the
   * order's row lock, so re-running after a partial failure finishes the rest and repeats nothing.
   * Throws after trying them all if any failed, so that the job is retried.
   */
  async settle(purchaseId: string): Promise<void> {
    const awards = (await this.repository.entriesOf(this.dataSource.manager, purchaseId)).filter(isAward);
    const failed: string[] = [];
    for (const award of awards) {
      try {
        const events = await runSerializable(this.dataSource, (m) => this.settleAwardIn(m, purchaseId, award.key), {
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
    const entries = await this.repository.entriesOf(m, purchaseId);
    const events: DomainEvent[] = [];
    for (const award of entries.filter(isAward)) events.push(...(await this.settleAward(m, purchase, award, entries)));
    return events;
  }

  private async settleAwardIn(m: EntityManager, purchaseId: string, key: string): Promise<DomainEvent[]> {
    const purchase = await this.repository.lock(m, purchaseId, 'update');
    if (!purchase) return [];
    const entries = await this.repository.entriesOf(m, purchaseId);
    const award = entries.find((e) => e.key === key);
    return award ? this.settleAward(m, purchase, award, entries) : [];
  }

  private async settleAward(m: EntityManager, purchase: PurchaseRow, award: OrderEntry, entries: OrderEntry[]): Promise<DomainEvent[]> {
    const events: DomainEvent[] = [];
    let status = award.status;
    if (status === 'pending') {
      const statuses = await this.repository.referralStatuses(m, award.heldFor);
      const reviews = award.heldFor.map((id) => statuses.get(id));
      if (purchase.refundedAmount === purchase.amount || reviews.includes('rejected')) status = 'voided';
      else if (award.due && !reviews.includes('flagged')) status = 'posted';
      if (status !== 'pending') events.push(...(await this.points.settleIn(m, award.key, status)).events);
    }
    if (status === 'posted' && purchase.refundedAmount > 0) events.push(...(await this.clawBack(m, purchase, award, entries)));
    return events;
  }

  /** Takes back the refunded share of the award (bonuses and commissions alike) beyond what earlier refunds took. */
  private async clawBack(m: EntityManager, purchase: PurchaseRow, award: OrderEntry, entries: OrderEntry[]): Promise<DomainEvent[]> {
    const target = refundedShare(award.amount, purchase.refundedAmount, purchase.amount);
    const taken = -entries.filter((e) => e.type === 'clawback' && e.awardKey === award.key).reduce((sum, e) => sum + e.amount, 0);
    const delta = target - taken;
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
    return result.events;
  }
}

function isAward(e: OrderEntry): boolean {
  return e.key.startsWith('purchase:');
}
