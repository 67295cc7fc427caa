import { Injectable, Logger } from '@nestjs/common';
import { OnJob } from '../jobs/job-catalogue';
import { JobsService } from '../jobs/jobs.service';
import { ReferralConversionService } from '../referrals/referral-conversion.service';
import { ACTIVE_REFERRER_JOB } from './purchase-jobs';

/**
 * Recounts a referrer's active referees after their referees' purchases are recorded or
 * refunded, outside any write transaction: the count reads every referee, so doing it inline made a popular referrer's
 * awards O(referees) each and made them conflict. Requests coalesce per referrer (one queued,
 * one running), so a burst of purchases costs a few recounts; the daily pass is the backstop.
 */
@Injectable()
export class ActiveReferralsRefresh {
  private readonly logger = new Logger(ActiveReferralsRefresh.name);

  constructor(
    private readonly jobs: JobsService,
    private readonly conversion: ReferralConversionService,
  ) {}

  @OnJob(ACTIVE_REFERRER_JOB, { queue: { policy: 'stately' } })
  async recount({ referrerId }: { referrerId: string }): Promise<void> {
    await this.conversion.refreshActiveNow(referrerId);
  }

  /**
   * After a purchase of `buyerId` was refunded (a recorded one is requested by its reward job): recount their referrer's active
   * referees. Runs after the webhook's commit, so it never throws: a failure here must not turn
   * an accepted notification into an error the sender would retry.
   */
  async requestForBuyer(buyerId: string): Promise<void> {
    let referrerId: string | null;
    try {
      referrerId = await this.conversion.attributedReferrerOf(buyerId);
    } catch (error) {
      this.logger.warn({ err: error, buyerId }, 'could not look up the referrer to recount; the daily pass will correct it');
      return;
    }
    if (referrerId) await this.request(referrerId);
  }

  /** Never throws (it runs after commit). */
  async request(referrerId: string): Promise<void> {
    await this.requestMany([referrerId]);
  }

  /** Recounts of many referrers in one statement. Never throws (it runs after commit). */
  async requestMany(referrerIds: string[]): Promise<void> {
    const ids = [...new Set(referrerIds)];
    try {
      await this.jobs.sendMany(ACTIVE_REFERRER_JOB, ids.map((referrerId) => ({ data: { referrerId }, singletonKey: referrerId })));
    } catch (error) {
      this.logger.warn({ err: error, referrerIds: ids }, 'could not queue the active-referrals recount; the daily pass will correct it');
    }
  }
}
