import { Inject, Injectable } from '@nestjs/common';
import { NoPayload, OnJob } from '../jobs/job-catalogue';
import { WebhookDeliveriesRepository } from './webhook-deliveries.repository';
import { WebhookDeliveryJobData, WebhookDeliveryService } from './webhook-delivery.service';
import { WEBHOOK_DELIVERY_POLICY, WebhookDeliveryPolicy } from './webhook-policy';

/** pg-boss queues of the webhooks module. */
export const WEBHOOK_DELIVERY_JOB = 'webhook-delivery';
export const WEBHOOK_CLEANUP_JOB = 'webhook-cleanup';

declare module '../jobs/job-catalogue' {
  interface JobPayloads {
    [WEBHOOK_DELIVERY_JOB]: WebhookDeliveryJobData;
    [WEBHOOK_CLEANUP_JOB]: NoPayload;
  }
}

@Injectable()
export class WebhookJobs {
  constructor(
    private readonly delivery: WebhookDeliveryService,
    private readonly deliveries: WebhookDeliveriesRepository,
    @Inject(WEBHOOK_DELIVERY_POLICY) readonly policy: WebhookDeliveryPolicy,
  ) {}

  // pg-boss's back-off: retryDelay·2ⁿ·(1..2), capped by JobsService, so the first retry comes within 30 s.
  // A worker fetches continuously only while batches come back full, otherwise once per poll.
  // A batch runs one job after the other, so it stays small: a receiver that hangs for its 10 s
  // holds up one slot and at most one other delivery.
  @OnJob(WEBHOOK_DELIVERY_JOB, (_config, { policy }: WebhookJobs) => ({
    queue: {
      retryLimit: policy.retryLimit,
      retryDelay: policy.retryDelaySeconds,
      retryBackoff: true,
      retryDelayMax: policy.retryDelayMaxSeconds,
      expireInSeconds: 2 * Math.ceil(policy.timeoutMs / 1000) + 40,
    },
    batchSize: 2,
    localConcurrency: 8,
  }))
  deliver(data: WebhookDeliveryJobData, job: { retryCount: number }): Promise<void> {
    return this.delivery.deliver(data, job);
  }

  /** The daily job: the delivery log (and the events) older than the retention. */
  @OnJob(WEBHOOK_CLEANUP_JOB, { schedule: '40 3 * * *' })
  async cleanup(): Promise<void> {
    await this.deliveries.deleteOlderThan(this.policy.retentionDays);
  }
}
