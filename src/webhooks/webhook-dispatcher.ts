import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { UnitOfWork } from '../database/unit-of-work';
import { isDatabaseOutage } from '../common/errors/outage';
import { JobsService } from '../jobs/jobs.service';
import { WebhookDeliveriesRepository } from './webhook-deliveries.repository';
import { WEBHOOK_DELIVERY_JOB } from './webhook-jobs';
import { WEBHOOK_DELIVERY_POLICY, WebhookDeliveryPolicy } from './webhook-policy';

const BATCH = 200;

/**
 * Polls the outbox (about every second, SKIP LOCKED, so every instance can run one) and turns
 * each event into a delivery row and its pg-boss job per subscribed endpoint, in one transaction:
 * a crash either leaves the event undispatched or has all its deliveries queued, never twice.
 */
@Injectable()
export class WebhookDispatcher implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(WebhookDispatcher.name);
  private running = false;
  private loop?: Promise<void>;

  constructor(
    private readonly uow: UnitOfWork,
    private readonly deliveries: WebhookDeliveriesRepository,
    private readonly jobs: JobsService,
    @Inject(WEBHOOK_DELIVERY_POLICY) private readonly policy: WebhookDeliveryPolicy,
  ) {}

  onApplicationBootstrap(): void {
    this.running = true;
    this.loop = this.run();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  /** Dispatches one batch; the number of events it took. */
  async dispatchOnce(): Promise<number> {
    return this.uow.run(
      async (tx) => {
        const { events, deliveries } = await this.deliveries.fanOut(tx.manager, BATCH);
        // The job's id is the delivery's: a job can never be queued twice for one delivery.
        await this.jobs.sendMany(WEBHOOK_DELIVERY_JOB, deliveries.map((deliveryId) => ({ id: deliveryId, data: { deliveryId } })), { tx });
        return events;
      },
      { isolation: 'READ COMMITTED' },
    );
  }

  private async run(): Promise<void> {
    while (this.running) {
      let taken = 0;
      try {
        if (this.jobs.isReady()) taken = await this.dispatchOnce();
      } catch (error) {
        if (isDatabaseOutage(error)) this.logger.warn({ reason: (error as Error).message }, 'webhook dispatch: database unreachable');
        else this.logger.error({ err: error }, 'webhook dispatch failed');
      }
      if (taken < BATCH) await sleep(this.policy.dispatchIntervalMs);
    }
  }
}
