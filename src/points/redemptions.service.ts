import { Injectable } from '@nestjs/common';
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
   * Spends the points and records the reward in one SERIALIZABLE transaction. With a request key
   * the ledger key is derived from it, so a request re-run after a crash cannot spend twice.
   */
  async redeem(userId: string, amount: number, type: RewardType, requestKey?: string): Promise<RedeemOutcome> {
    const key = ledgerKeyFor('redeem', userId, requestKey, { amount, type });
    let reward: Redemption | null = null;
    const result = await this.points.commit(async (m) => {
      const spent = await this.points.spendIn(m, userId, amount, 'redeem', { reward: type }, key, 'spend', `Redeemed for a ${REWARD_NAMES[type]}`);
      if (spent.duplicate) {
        reward = await this.redemptions.findByTransaction(m, spent.transaction.id);
        return spent;
      }
      reward = await this.redemptions.insert(m, { userId, transactionId: spent.transaction.id, type, value: amount });
      const what = reward.code ? `discount code ${reward.code}` : `a service credit of ${amount} cents`;
      spent.events.push(
        await this.notifications.create(m, {
          userId,
          type: 'redemption-done',
          title: 'Redemption done',
          message: `You redeemed ${amount} points for ${what}.`,
        }),
      );
      return spent;
    }, userId);
    const available = result.balances?.available ?? (await this.queries.findBalances(userId))?.available ?? 0;
    return { result, reward: reward!, available };
  }
}
