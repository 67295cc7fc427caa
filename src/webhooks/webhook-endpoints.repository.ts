import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { cursorTimeSql, ListCursor } from '../common/pagination/list-cursor';
import { WebhookEndpointEntity } from './entities/webhook-endpoint.entity';

export interface EndpointRow extends Omit<WebhookEndpointEntity, 'secretEncrypted'> {
  cursorAt: string;
}

export interface EndpointChanges {
  url?: string;
  events?: string[];
  enabled?: boolean;
}

const COLUMNS = `id, url, events, description, enabled, disabled_reason AS "disabledReason", failure_streak AS "failureStreak",
  failing_since AS "failingSince", last_delivery_at AS "lastDeliveryAt", created_at AS "createdAt", updated_at AS "updatedAt",
  ${cursorTimeSql('created_at')} AS "cursorAt"`;

/** webhook_endpoints, written only here and by the delivery outcome (WebhookDeliveriesRepository). */
@Injectable()
export class WebhookEndpointsRepository {
  constructor(@InjectRepository(WebhookEndpointEntity) private readonly endpoints: Repository<WebhookEndpointEntity>) {}

  async insert(manager: EntityManager, fields: { url: string; events: string[]; description: string | null; secretEncrypted: Buffer }): Promise<EndpointRow> {
    const [row] = await manager.query(
      `INSERT INTO webhook_endpoints (url, events, description, secret_encrypted) VALUES ($1, $2, $3, $4) RETURNING ${COLUMNS}`,
      [fields.url, fields.events, fields.description, fields.secretEncrypted],
    );
    return row;
  }

  count(): Promise<number> {
    return this.endpoints.count();
  }

  async findOne(id: string): Promise<EndpointRow | undefined> {
    const [row] = await this.endpoints.query(`SELECT ${COLUMNS} FROM webhook_endpoints WHERE id = $1`, [id]);
    return row;
  }

  page(limit: number, after: ListCursor | undefined): Promise<EndpointRow[]> {
    return after
      ? this.endpoints.query(
          `SELECT ${COLUMNS} FROM webhook_endpoints WHERE (created_at, id) < ($1::timestamptz, $2::uuid) ORDER BY created_at DESC, id DESC LIMIT $3`,
          [after.createdAt, after.id, limit],
        )
      : this.endpoints.query(`SELECT ${COLUMNS} FROM webhook_endpoints ORDER BY created_at DESC, id DESC LIMIT $1`, [limit]);
  }

  /** Re-enabling starts a fresh failure count; disabling by hand records why. */
  async update(manager: EntityManager, id: string, changes: EndpointChanges): Promise<EndpointRow | undefined> {
    const [rows] = await manager.query(
      `UPDATE webhook_endpoints SET
         url = coalesce($2, url),
         events = coalesce($3, events),
         failure_streak = CASE WHEN $4::boolean AND NOT enabled THEN 0 ELSE failure_streak END,
         failing_since = CASE WHEN $4::boolean AND NOT enabled THEN NULL ELSE failing_since END,
         disabled_reason = CASE WHEN $4::boolean THEN NULL WHEN $4::boolean = false AND enabled THEN 'disabled-by-admin' ELSE disabled_reason END,
         enabled = coalesce($4::boolean, enabled),
         updated_at = now()
       WHERE id = $1 RETURNING ${COLUMNS}`,
      [id, changes.url ?? null, changes.events ?? null, changes.enabled ?? null],
    );
    return rows[0];
  }

  async delete(manager: EntityManager, id: string): Promise<EndpointRow | undefined> {
    const [rows] = await manager.query(`DELETE FROM webhook_endpoints WHERE id = $1 RETURNING ${COLUMNS}`, [id]);
    return rows[0];
  }

  /** What a delivery needs of its endpoint, secret included. */
  async forDelivery(manager: EntityManager, id: string): Promise<{ url: string; enabled: boolean; secretEncrypted: Buffer } | undefined> {
    const [row] = await manager.query(`SELECT url, enabled, secret_encrypted AS "secretEncrypted" FROM webhook_endpoints WHERE id = $1`, [id]);
    return row;
  }
}
