import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Job } from '../jobs/job-catalogue';
import { DataSource } from 'typeorm';
import { webhookDeliveries } from '../metrics/metrics';
import { NotificationsService } from '../notifications/notifications.service';
import { UsersService } from '../users/users.service';
import { Tx, UnitOfWork } from '../database/unit-of-work';
import { AutoDisableReason } from './entities/webhook-endpoint.entity';
import { WebhookDeliveriesRepository } from './webhook-deliveries.repository';
import { WebhookEndpointsRepository } from './webhook-endpoints.repository';
import { TEST_EVENT_TYPE } from '../common/events/outbound-events';
import { WEBHOOK_DELIVERY_POLICY, WebhookDeliveryPolicy } from './webhook-policy';
import { WebhookSecrets } from './webhook-secrets';
import { displayUrl } from './display-url';
import { WebhookSender } from './webhook-sender';
import { signWebhook } from './webhook-signature';

export interface WebhookDeliveryJobData {
  deliveryId: string;
}

const REASON_TEXT: Record<AutoDisableReason, string> = {
  'consecutive-failures': 'failed 100 deliveries in a row',
  'failing-for-3-days': 'has failed every delivery for 3 days',
};

/**
 * One attempt of one delivery (a pg-boss job whose id is the delivery's). A failure throws, so
 * pg-boss retries it with back-off; the event id, hence `webhook-id`, is the same every time.
 */
@Injectable()
export class WebhookDeliveryService {
  private readonly logger = new Logger(WebhookDeliveryService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly deliveries: WebhookDeliveriesRepository,
    private readonly endpoints: WebhookEndpointsRepository,
    private readonly secrets: WebhookSecrets,
    private readonly sender: WebhookSender,
    private readonly notifications: NotificationsService,
    private readonly uow: UnitOfWork,
    private readonly users: UsersService,
    @Inject(WEBHOOK_DELIVERY_POLICY) private readonly policy: WebhookDeliveryPolicy,
  ) {}

  async deliver({ deliveryId }: WebhookDeliveryJobData, job: Pick<Job, 'retryCount'>): Promise<void> {
    const delivery = await this.deliveries.findToSend(deliveryId);
    if (!delivery || (delivery.status !== 'pending' && delivery.status !== 'retrying')) return;
    const endpoint = await this.endpoints.forDelivery(this.dataSource.manager, delivery.endpointId);
    if (!endpoint) return;
    // A disabled endpoint gets nothing more until re-enabled; a test is how an admin checks it first.
    if (!endpoint.enabled && delivery.type !== TEST_EVENT_TYPE) return this.deliveries.cancel(deliveryId);

    const body = JSON.stringify({ id: delivery.eventId, type: delivery.type, createdAt: new Date(delivery.createdAt).toISOString(), data: delivery.data });
    const timestamp = Math.floor(Date.now() / 1000);
    const secret = this.secrets.decrypt(endpoint.secretEncrypted);
    const result = await this.sender.send(
      endpoint.url,
      { 'webhook-id': delivery.eventId, 'webhook-timestamp': String(timestamp), 'webhook-signature': signWebhook(secret, delivery.eventId, timestamp, body) },
      body,
    );
    webhookDeliveries.inc({ result: result.ok ? 'success' : 'failure' });

    const lastTry = job.retryCount >= this.policy.retryLimit;
    const disabled = await this.uow.run(async (tx) => {
      const m = tx.manager;
      if (result.ok) {
        await this.deliveries.recordAttempt(m, deliveryId, result, 'succeeded');
        await this.deliveries.recordSuccess(m, delivery.endpointId);
        return null;
      }
      const disabled = await this.deliveries.recordFailure(m, delivery.endpointId, {
        afterFailures: this.policy.disableAfterFailures,
        afterFailingMs: this.policy.disableAfterFailingMs,
      });
      await this.deliveries.recordAttempt(m, deliveryId, result, disabled || lastTry ? 'failed' : 'retrying');
      if (disabled) await this.notifyAdmins(tx, endpoint.url, disabled);
      return disabled;
    }, { isolation: 'READ COMMITTED' });
    if (disabled) this.logger.warn({ endpointId: delivery.endpointId, reason: disabled }, 'webhook endpoint disabled');
    if (!result.ok && !disabled && !lastTry) throw new Error(`webhook delivery failed: ${result.error}`);
  }

  private async notifyAdmins(tx: Tx, url: string, reason: AutoDisableReason): Promise<void> {
    for (const userId of await this.users.activeAdminIds(tx.manager)) {
      await this.notifications.create({
        tx,
        userId,
        type: 'webhook-disabled',
        title: 'Webhook endpoint disabled',
        message: `The webhook endpoint ${displayUrl(url).slice(0, 300)} ${REASON_TEXT[reason]} and was disabled. Fix it, then re-enable it in the admin console.`,
      });
    }
  }

}
