import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { OnJob } from '../jobs/job-catalogue';
import { JobsService } from '../jobs/jobs.service';
import { ReferralConversionService } from '../referrals/referral-conversion.service';
import { OrderSettlementService } from './order-settlement.service';
import { ACTIVE_REFERRALS_JOB, PURCHASE_RELEASE_JOB, PURCHASE_REFUND_JOB, PURCHASE_REWARD_JOB, PurchaseJobData, REFUND_SWEEP_JOB } from './purchase-jobs';
import { RefundSweepService } from './refund-sweep.service';
import { PurchaseRewardsService } from './purchase-rewards.service';

/** A short expiry is what lets another worker take over a job whose process was killed. */
const purchaseQueue = (config: AppConfig) => ({ expireInSeconds: config.rewards.jobExpireSeconds });

/** The purchase queues' workers. Every handler is idempotent: pg-boss re-runs a job whose worker died. */
@Injectable()
export class PurchaseWorkersService {
  constructor(
    private readonly rewards: PurchaseRewardsService,
    private readonly settlement: OrderSettlementService,
    private readonly conversion: ReferralConversionService,
    private readonly sweep: RefundSweepService,
    private readonly jobs: JobsService,
  ) {}

  // Jobs of different purchases run side by side; the ledger's SERIALIZABLE retries order their writes.
  // Batches let a worker keep fetching during a burst (a worker fetches again at once only when a batch comes back full).
  // A batch is rewarded as one (a shared referrer credited once); if it fails, its jobs run one by one.
  @OnJob(PURCHASE_REWARD_JOB, (config) => ({ queue: purchaseQueue(config), localConcurrency: 4, batchSize: 25, batch: true }))
  reward(jobs: PurchaseJobData[]): Promise<void> {
    return this.rewards.rewardMany(jobs.map((j) => j.purchaseId));
  }

  // Refunds and releases settle the order after whatever the reward job has written so far;
  // the reward job settles again at its end, so their order does not matter.
  @OnJob(PURCHASE_REFUND_JOB, (config) => ({ queue: purchaseQueue(config), batchSize: 10 }))
  refund({ purchaseId }: PurchaseJobData): Promise<void> {
    return this.settlement.settle({ purchaseId });
  }

  @OnJob(PURCHASE_RELEASE_JOB, (config) => ({ queue: purchaseQueue(config), batchSize: 10 }))
  async release({ purchaseId }: PurchaseJobData): Promise<void> {
    await this.settlement.settle({ purchaseId });
    // The job was timed by the database's clock, the holds are judged by this instance's: if they
    // disagree (or a hold was set later), run again when the next hold falls due, not never.
    const next = await this.settlement.nextRelease(purchaseId);
    if (next) await this.jobs.send(PURCHASE_RELEASE_JOB, { purchaseId }, { startAfter: new Date(next.getTime() + 1_000) });
  }

  /** The backstop for a refund job that ran out of retries: its order is settled again daily. */
  @OnJob(REFUND_SWEEP_JOB, { schedule: '20 0 * * *' })
  async refundSweep(): Promise<void> {
    await this.sweep.run();
  }

  @OnJob(ACTIVE_REFERRALS_JOB, { schedule: '10 0 * * *' })
  async refreshAllActive(): Promise<void> {
    await this.conversion.refreshAllActive();
  }
}
