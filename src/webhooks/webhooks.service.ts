import { Injectable } from '@nestjs/common';
import { AuditActor, AuditLog } from '../audit/audit-log';
import { UnitOfWork } from '../database/unit-of-work';
import { pageRequest, toPage } from '../common/pagination/list-cursor';
import { PageQueryDto } from '../common/pagination/page-query.dto';
import { isUuid } from '../common/uuid';
import { JobsService } from '../jobs/jobs.service';
import { WebhookDeliveryListDto, WebhookTestDto } from './dto/webhook-delivery.dto';
import { CreatedWebhookEndpointDto, CreateWebhookDto, UpdateWebhookDto, WebhookEndpointDto, WebhookEndpointListDto } from './dto/webhook-endpoint.dto';
import { DeliveryLogRow, WebhookDeliveriesRepository } from './webhook-deliveries.repository';
import { EndpointRow, WebhookEndpointsRepository } from './webhook-endpoints.repository';
import { ALL_EVENTS } from '../common/events/outbound-events';
import { WEBHOOK_DELIVERY_JOB } from './webhook-jobs';
import { WebhookSecrets } from './webhook-secrets';
import { WebhookSubscriptions } from './webhook-subscriptions';
import { displayUrl } from './display-url';
import { WebhookUrlGuard } from './webhook-url-guard';
import { WebhooksErrorCode, WebhooksException } from './webhook.exception';

/** Endpoint changes race only on their own row, which a statement settles. */
const READ_COMMITTED = { isolation: 'READ COMMITTED' } as const;

/** What the audit log keeps of an endpoint: never its secret, nor the URL's query (tokens). */
function auditView(row: EndpointRow): Record<string, unknown> {
  return { url: displayUrl(row.url), events: row.events, enabled: row.enabled };
}

/** Every event is fanned out to every endpoint: a bound on endpoints is a bound on that work. */
const MAX_ENDPOINTS = 50;

@Injectable()
export class WebhooksService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly audit: AuditLog,
    private readonly endpoints: WebhookEndpointsRepository,
    private readonly deliveries: WebhookDeliveriesRepository,
    private readonly secrets: WebhookSecrets,
    private readonly guard: WebhookUrlGuard,
    private readonly jobs: JobsService,
    private readonly subscriptions: WebhookSubscriptions,
  ) {}

  /** The endpoint and its audit row commit together. */
  async create(input: CreateWebhookDto, actor: AuditActor): Promise<CreatedWebhookEndpointDto> {
    const url = await this.guard.check(input.url);
    if ((await this.endpoints.count()) >= MAX_ENDPOINTS) {
      throw new WebhooksException(WebhooksErrorCode.WEBHOOK_LIMIT_REACHED, `At most ${MAX_ENDPOINTS} webhook endpoints`);
    }
    const secret = this.secrets.generate();
    const row = await this.uow.run(async ({ manager }) => {
      const row = await this.endpoints.insert(manager, {
        url,
        events: normaliseEvents(input.events),
        description: input.description ?? null,
        secretEncrypted: this.secrets.encrypt(secret),
      });
      await this.audit.record(manager, { actor, action: 'webhook.created', targetType: 'webhook', targetId: row.id, after: auditView(row) });
      return row;
    }, READ_COMMITTED);
    await this.subscriptions.refresh();
    return { ...toDto(row), secret };
  }

  async list(query: PageQueryDto): Promise<WebhookEndpointListDto> {
    const { limit, after } = pageRequest(query);
    const rows = await this.endpoints.page(limit + 1, after);
    return toPage(rows, limit, (r) => ({ createdAt: r.cursorAt, id: r.id }), toDto);
  }

  async update(id: string, input: UpdateWebhookDto, actor: AuditActor): Promise<WebhookEndpointDto> {
    const before = await this.found(id);
    const url = input.url === undefined ? undefined : await this.guard.check(input.url);
    const row = await this.uow.run(async ({ manager }) => {
      const row = await this.endpoints.update(manager, id, { url, events: input.events && normaliseEvents(input.events), enabled: input.enabled });
      if (!row) throw notFound();
      await this.audit.record(manager, { actor, action: 'webhook.updated', targetType: 'webhook', targetId: id, before: auditView(before), after: auditView(row) });
      return row;
    }, READ_COMMITTED);
    await this.subscriptions.refresh();
    return toDto(row);
  }

  async remove(id: string, actor: AuditActor): Promise<void> {
    if (!isUuid(id)) throw notFound();
    await this.uow.run(async ({ manager }) => {
      const row = await this.endpoints.delete(manager, id);
      if (!row) throw notFound();
      await this.audit.record(manager, { actor, action: 'webhook.deleted', targetType: 'webhook', targetId: id, before: auditView(row) });
    }, READ_COMMITTED);
    await this.subscriptions.refresh();
  }

  async deliveryLog(id: string, query: PageQueryDto): Promise<WebhookDeliveryListDto> {
    await this.found(id);
    const { limit, after } = pageRequest(query);
    const rows = await this.deliveries.page(id, limit + 1, after);
    return toPage(rows, limit, (r) => ({ createdAt: r.cursorAt, id: r.id }), toDeliveryDto);
  }

  /** A `webhook.test` event for this endpoint alone, queued with its delivery. */
  async test(id: string): Promise<WebhookTestDto> {
    await this.found(id);
    return this.uow.run(async (tx) => {
      const sent = await this.deliveries.insertTest(tx.manager, id, { endpointId: id, message: 'A test event sent from the admin console' });
      await this.jobs.send(WEBHOOK_DELIVERY_JOB, { deliveryId: sent.deliveryId }, { tx, id: sent.deliveryId });
      return sent;
    }, READ_COMMITTED);
  }

  private async found(id: string): Promise<EndpointRow> {
    const row = isUuid(id) ? await this.endpoints.findOne(id) : undefined;
    if (!row) throw notFound();
    return row;
  }
}

function notFound() {
  return new WebhooksException(WebhooksErrorCode.WEBHOOK_NOT_FOUND, 'No webhook endpoint has this id');
}

/** `*` with anything else is just `*`. */
function normaliseEvents(events: string[]): string[] {
  return events.includes(ALL_EVENTS) ? [ALL_EVENTS] : events;
}

function toDto(row: EndpointRow): WebhookEndpointDto {
  return {
    id: row.id,
    url: row.url,
    events: row.events,
    description: row.description,
    enabled: row.enabled,
    disabledReason: row.disabledReason,
    failureStreak: row.failureStreak,
    lastDeliveryAt: row.lastDeliveryAt ? new Date(row.lastDeliveryAt).toISOString() : null,
    createdAt: new Date(row.createdAt).toISOString(),
  };
}

function toDeliveryDto({ cursorAt: _cursor, at, ...row }: DeliveryLogRow) {
  return { ...row, at: new Date(at).toISOString() };
}
