import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { JobsService } from '../jobs/jobs.service';
import { ReferralConversionService } from '../referrals/referral-conversion.service';
import { OrderSettlementService } from './order-settlement.service';
import { ACTIVE_REFERRALS_JOB, PURCHASE_RELEASE_JOB, PURCHASE_REFUND_JOB, PURCHASE_REWARD_JOB, PurchaseJobData, REFUND_SWEEP_JOB } from './purchase-jobs';
import { RefundSweepService } from './refund-sweep.service';
import { PurchaseRewardsService } from './purchase-rewards.service';

/** Registers the purchase queues. Every handler is idempotent: pg-boss re-runs a job whose worker died. */
@Injectable()
export class PurchaseWorkersService implements OnModuleInit {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly jobs: JobsService,
    private readonly rewards: PurchaseRewardsService,
    private readonly settlement: OrderSettlementService,
    private readonly conversion: ReferralConversionService,
    private readonly refundSweep: RefundSweepService,
  ) {}

  onModuleInit(): void {
    // A short expiry is what lets another worker take over a job whose process was killed.
    const queue = { expireInSeconds: this.config.rewards.jobExpireSeconds };
    // Jobs of different purchases may run side by side; the ledger's SERIALIZABLE retries order their writes.
    this.jobs.register<PurchaseJobData>({
      name: PURCHASE_REWARD_JOB,
      queue,
      localConcurrency: 4,
      // Batches let a worker keep fetching during a burst (pg-boss only bursts when a batch comes back full).
      batchSize: 10,
      handle: ({ purchaseId }) => this.rewards.reward(purchaseId),
    });
    // Refunds and releases settle the order after whatever the reward job has written so far;
    // the reward job settles again at its end, so their order does not matter.
    const settle = ({ purchaseId }: PurchaseJobData) => this.settlement.settle(purchaseId);
    this.jobs.register<PurchaseJobData>({ name: PURCHASE_REFUND_JOB, queue, batchSize: 10, handle: settle });
    this.jobs.register<PurchaseJobData>({ name: PURCHASE_RELEASE_JOB, queue, batchSize: 10, handle: settle });
    // The backstop for a refund job that ran out of retries: its order is settled again daily.
    this.jobs.register<object>({ name: REFUND_SWEEP_JOB, schedule: '20 0 * * *', handle: async () => void (await this.refundSweep.run()) });
    this.jobs.register<object>({
      name: ACTIVE_REFERRALS_JOB,
      schedule: '10 0 * * *',
      handle: async () => void (await this.conversion.refreshAllActive()),
    });
  }
}
