import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { JobsService } from '../jobs/jobs.service';
import { WebhookDeliveriesRepository } from './webhook-deliveries.repository';
import { WebhookDeliveryJobData, WebhookDeliveryService } from './webhook-delivery.service';
import { WEBHOOK_DELIVERY_POLICY, WebhookDeliveryPolicy } from './webhook-policy';

/** pg-boss queues of the webhooks module, all registered here. */
export const WEBHOOK_DELIVERY_JOB = 'webhook-delivery';
export const WEBHOOK_CLEANUP_JOB = 'webhook-cleanup';

@Injectable()
export class WebhookJobs implements OnModuleInit {
  constructor(
    private readonly jobs: JobsService,
    private readonly delivery: WebhookDeliveryService,
    private readonly deliveries: WebhookDeliveriesRepository,
    @Inject(WEBHOOK_DELIVERY_POLICY) private readonly policy: WebhookDeliveryPolicy,
  ) {}

  onModuleInit(): void {
    this.jobs.register<WebhookDeliveryJobData>({
      name: WEBHOOK_DELIVERY_JOB,
      // pg-boss's back-off: retryDelay·2ⁿ·(½..1), capped, so the first retry comes within 30 s.
      queue: {
        retryLimit: this.policy.retryLimit,
        retryDelay: this.policy.retryDelaySeconds,
        retryBackoff: true,
        retryDelayMax: this.policy.retryDelayMaxSeconds,
        expireInSeconds: 2 * Math.ceil(this.policy.timeoutMs / 1000) + 40,
      },
      // pg-boss fetches continuously only while batches come back full, and never at batch size 1
      // (one job per worker per poll). A batch runs one job after the other, so it stays small: a
      // receiver that hangs for its 10 s holds up one slot and at most one other delivery.
      batchSize: 2,
      localConcurrency: 8,
      handle: (data, job) => this.delivery.deliver(data, job),
    });
    this.jobs.register<object>({
      name: WEBHOOK_CLEANUP_JOB,
      schedule: '40 3 * * *',
      handle: () => this.cleanup(),
    });
  }

  /** The daily job: the delivery log (and the events) older than the retention. */
  async cleanup(): Promise<void> {
    await this.deliveries.deleteOlderThan(this.policy.retentionDays);
  }
}
