import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { ReferralStatsRepository } from './referral-stats.repository';

/**
 * What other modules may change of a user's referral counters, each inside the caller's
 * transaction: the purchases module reports earnings as it posts, releases or claws back a
 * bonus or commission, and account closure takes the account off the leaderboard.
 */
@Injectable()
export class ReferralStatsService {
  constructor(private readonly repository: ReferralStatsRepository) {}

  /** `delta` points of bonuses or commissions posted (positive) or clawed back (negative) for `userId`. */
  addEarned(m: EntityManager, userId: string, delta: number): Promise<void> {
    return this.repository.addEarned(m, userId, delta);
  }

  /** Many `addEarned` at once: each user's row moves once, by the sum of their deltas. */
  addEarnedMany(m: EntityManager, deltas: Array<{ userId: string; delta: number }>): Promise<void> {
    return this.repository.addEarnedMany(m, deltas);
  }

  /** The account of `userId` was closed in this transaction. */
  closeAccount(m: EntityManager, userId: string): Promise<void> {
    return this.repository.close(m, userId);
  }
}
