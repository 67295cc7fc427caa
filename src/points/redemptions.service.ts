import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Tx } from '../database/unit-of-work';
import { ledgerKeyFor } from '../idempotency/ledger-key';
import { NotificationsService } from '../notifications/notifications.service';
import { RewardType } from './dto/redeem-points.dto';
import { PointsQueryRepository } from './points-query.repository';
import { LedgerResult, PointsService } from './points.service';
import { Redemption, RedemptionsRepository } from './redemptions.repository';

export interface RedeemOutcome {
  result: LedgerResult;
  reward: Redemption;
  available: number;
}

const REWARD_NAMES: Record<RewardType, string> = { 'service-credit': 'service credit', 'discount-code': 'discount code' };

@Injectable()
export class RedemptionsService {
  constructor(
    private readonly points: PointsService,
    private readonly redemptions: RedemptionsRepository,
    private readonly notifications: NotificationsService,
    private readonly queries: PointsQueryRepository,
  ) {}

  /**
   * Spends the points and records the reward in one SERIALIZABLE transaction (the spend's batch). With a request key
   * the ledger key is derived from it, so a request re-run after a crash cannot spend twice.
   */
  async redeem(userId: string, amount: number, type: RewardType, requestKey?: string): Promise<RedeemOutcome> {
    const key = ledgerKeyFor('redeem', userId, requestKey, { amount, type });
    // Drawn before the spend so that its points.spent event can name the redemption.
    const redemptionId = randomUUID();
    let reward: Redemption | undefined;
    // The reward row commits with the spend, in the ledger's group commit (a retried attempt sets it again).
    const alongside = async (tx: Tx, spent: LedgerResult) => {
      if (spent.duplicate) {
        reward = (await this.redemptions.findByTransaction(tx.manager, spent.transaction.id))!;
        return;
      }
      reward = await this.redemptions.insert(tx.manager, { id: redemptionId, userId, transactionId: spent.transaction.id, type, value: amount });
      tx.record('webhook-event', {
        type: 'redemption.created',
        data: { redemptionId: reward.id, userId, transactionId: spent.transaction.id, type, value: amount, points: amount },
      });
      const what = reward.code ? `discount code ${reward.code}` : `a service credit of ${amount} cents`;
      await this.notifications.create({ tx, userId, type: 'redemption-done', title: 'Redemption done', message: `You redeemed ${amount} points for ${what}.` });
    };
    const result = await this.points.spend({
      userId,
      amount,
      source: 'redeem',
      metadata: { reward: type },
      idempotencyKey: key,
      redemptionId,
      description: `Redeemed for a ${REWARD_NAMES[type]}`,
      alongside,
    });
    const available = result.balances?.available ?? (await this.queries.findBalances(userId))?.available ?? 0;
    return { result, reward: reward!, available };
  }
}
