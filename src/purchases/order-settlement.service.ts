import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { runSerializable } from '../database/serializable';
import { DomainEvent } from '../notifications/realtime-events';
import { RealtimeService } from '../notifications/realtime.service';
import { PointSource } from '../points/entities/point-transaction.entity';
import { PointsService } from '../points/points.service';
import { OrderEntry, PurchaseRow, PurchasesRepository } from './purchases.repository';
import { clawbackKey } from './reward-rules';

/**
 * Brings an order's awards in line with its state, computed from the ledger alone so it can run
 * any number of times, in any order with the reward job: held awards whose review and holding
 * period are over are released, awards of a fully refunded order or a rejected referral are
 * voided, and posted awards are clawed back down to what the refunded share allows.
 */
@Injectable()
export class OrderSettlementService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly repository: PurchasesRepository,
    private readonly points: PointsService,
    private readonly realtime: RealtimeService,
  ) {}

  async settle(purchaseId: string): Promise<void> {
    const events = await runSerializable(this.dataSource, (m) => this.settleIn(m, purchaseId));
    this.realtime.publish(events);
  }

  /** Purchases with awards held for this referral's review. */
  heldPurchases(m: EntityManager, referralId: string): Promise<string[]> {
    return this.repository.purchasesHeldFor(m, referralId);
  }

  /** The events to publish after commit. */
  async settleIn(m: EntityManager, purchaseId: string): Promise<DomainEvent[]> {
    const purchase = await this.repository.lock(m, purchaseId, 'update');
    if (!purchase) return [];
    const entries = await this.repository.entriesOf(m, purchaseId);
    const statuses = await this.repository.referralStatuses(m, [...new Set(entries.flatMap((e) => e.heldFor))]);
    const fullyRefunded = purchase.refundedAmount === purchase.amount;
    const events: DomainEvent[] = [];
    for (const award of entries.filter((e) => e.key.startsWith('purchase:'))) {
      let status = award.status;
      if (status === 'pending') {
        const reviews = award.heldFor.map((id) => statuses.get(id));
        if (fullyRefunded || reviews.includes('rejected')) status = 'voided';
        else if (award.due && !reviews.includes('flagged')) status = 'posted';
        if (status !== 'pending') {
          events.push(...(await this.points.settleIn(m, award.key, status)).events);
        }
      }
      if (status === 'posted' && purchase.refundedAmount > 0) {
        events.push(...(await this.clawBack(m, purchase, award, entries)));
      }
    }
    return events;
  }

  /** A full refund takes back every award; a partial one the refunded share of commissions only. */
  private async clawBack(m: EntityManager, purchase: PurchaseRow, award: OrderEntry, entries: OrderEntry[]): Promise<DomainEvent[]> {
    const target =
      purchase.refundedAmount === purchase.amount
        ? award.amount
        : award.role === 'commission'
          ? Number((BigInt(award.amount) * BigInt(purchase.refundedAmount)) / BigInt(purchase.amount))
          : 0;
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
