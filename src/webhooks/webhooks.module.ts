import { Injectable, Module, OnModuleInit } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { UnitOfWork } from '../database/unit-of-work';
import { UsersModule } from '../users/users.module';
import { TypeOrmModule } from '@nestjs/typeorm';
import { WebhookDeliveryEntity } from './entities/webhook-delivery.entity';
import { WebhookEndpointEntity } from './entities/webhook-endpoint.entity';
import { WebhookEventEntity } from './entities/webhook-event.entity';
import { WebhookDeliveriesRepository } from './webhook-deliveries.repository';
import { WebhookDeliveryService } from './webhook-delivery.service';
import { WebhookDispatcher } from './webhook-dispatcher';
import { WebhookEndpointsRepository } from './webhook-endpoints.repository';
import { WebhookJobs } from './webhook-jobs';
import { WebhookOutbox } from './webhook-outbox';
import { DEFAULT_DELIVERY_POLICY, systemResolver, WEBHOOK_DELIVERY_POLICY, WEBHOOK_HOST_RESOLVER } from './webhook-policy';
import { WebhookSecrets } from './webhook-secrets';
import { WebhookSender } from './webhook-sender';
import { WebhookSubscriptions } from './webhook-subscriptions';
import { WebhookUrlGuard } from './webhook-url-guard';
import { WebhooksController } from './webhooks.controller';
import { WebhooksService } from './webhooks.service';

/** Every unit of work's outbound events go to the outbox in its own transaction, before commit. */
@Injectable()
class OutboxSink implements OnModuleInit {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly outbox: WebhookOutbox,
    private readonly subscriptions: WebhookSubscriptions,
  ) {}

  onModuleInit(): void {
    this.uow.addSink({ kind: 'webhook-event', beforeCommit: (manager, events) => this.outbox.record(manager, this.subscriptions.wanted(events)) });
  }
}

/** Outbound webhooks: the admin API, the outbox other modules write to, dispatch and delivery. */
@Module({
  imports: [TypeOrmModule.forFeature([WebhookEndpointEntity, WebhookEventEntity, WebhookDeliveryEntity]), AuditModule, UsersModule],
  controllers: [WebhooksController],
  providers: [
    { provide: WEBHOOK_DELIVERY_POLICY, useValue: DEFAULT_DELIVERY_POLICY },
    { provide: WEBHOOK_HOST_RESOLVER, useValue: systemResolver },
    WebhookOutbox,
    OutboxSink,
    WebhookSubscriptions,
    WebhookSecrets,
    WebhookUrlGuard,
    WebhookSender,
    WebhookEndpointsRepository,
    WebhookDeliveriesRepository,
    WebhookDeliveryService,
    WebhookDispatcher,
    WebhookJobs,
    WebhooksService,
  ],
})
export class WebhooksModule {}
