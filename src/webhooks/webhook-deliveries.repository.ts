import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { cursorTimeSql, ListCursor } from '../common/pagination/list-cursor';
import { AutoDisableReason } from './entities/webhook-endpoint.entity';
import { WebhookDeliveryStatus } from './entities/webhook-delivery.entity';
import { SendResult } from './webhook-sender';

export interface DeliveryToSend {
  id: string;
  endpointId: string;
  status: WebhookDeliveryStatus;
  eventId: string;
  type: string;
  data: object;
  createdAt: Date;
}

export interface DeliveryLogRow {
  id: string;
  eventId: string;
  type: string;
  attempt: number;
  status: WebhookDeliveryStatus;
  responseStatus: number | null;
  durationMs: number | null;
  error: string | null;
  at: Date;
  cursorAt: string;
}

export interface DisableRule {
  afterFailures: number;
  afterFailingMs: number;
}

/** webhook_events (after the outbox wrote them) and webhook_deliveries; the endpoints' delivery counters. */
@Injectable()
export class WebhookDeliveriesRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Fans a batch of undispatched events out to the enabled endpoints subscribed to them, one
   * delivery per endpoint and event (unique, so a re-run adds none). SKIP LOCKED lets several
   * instances dispatch side by side; the caller enqueues the jobs in the same transaction.
   */
  async fanOut(manager: EntityManager, limit: number): Promise<{ events: number; deliveries: string[] }> {
    const [row] = await manager.query(
      `WITH batch AS (
         SELECT id, type FROM webhook_events WHERE dispatched_at IS NULL ORDER BY created_at LIMIT $1 FOR UPDATE SKIP LOCKED
       ), marked AS (
         UPDATE webhook_events e SET dispatched_at = now() FROM batch b WHERE e.id = b.id RETURNING e.id
       ), fanned AS (
         INSERT INTO webhook_deliveries (endpoint_id, event_id)
         SELECT p.id, b.id FROM batch b JOIN webhook_endpoints p ON p.enabled AND p.events && ARRAY['*', b.type]::varchar[]
         ON CONFLICT (endpoint_id, event_id) DO NOTHING
         RETURNING id
       )
       SELECT (SELECT count(*) FROM marked)::int AS events, coalesce((SELECT array_agg(id) FROM fanned), '{}') AS deliveries`,
      [limit],
    );
    return row;
  }

  /** `webhook.test`: an event only this endpoint gets, dispatched at once. */
  async insertTest(manager: EntityManager, endpointId: string, data: object): Promise<{ eventId: string; deliveryId: string }> {
    const [row] = await manager.query(
      `WITH e AS (INSERT INTO webhook_events (type, data, dispatched_at) VALUES ('webhook.test', $2, now()) RETURNING id)
       INSERT INTO webhook_deliveries (endpoint_id, event_id) SELECT $1, id FROM e RETURNING id AS "deliveryId", event_id AS "eventId"`,
      [endpointId, JSON.stringify(data)],
    );
    return row;
  }

  async findToSend(id: string): Promise<DeliveryToSend | undefined> {
    const [row] = await this.dataSource.query(
      `SELECT d.id, d.endpoint_id AS "endpointId", d.status, e.id AS "eventId", e.type, e.data, e.created_at AS "createdAt"
         FROM webhook_deliveries d JOIN webhook_events e ON e.id = d.event_id WHERE d.id = $1`,
      [id],
    );
    return row;
  }

  async cancel(id: string): Promise<void> {
    await this.dataSource.query(`UPDATE webhook_deliveries SET status = 'cancelled' WHERE id = $1 AND status IN ('pending', 'retrying')`, [id]);
  }

  async recordAttempt(manager: EntityManager, id: string, result: SendResult, status: WebhookDeliveryStatus): Promise<void> {
    await manager.query(
      `UPDATE webhook_deliveries SET attempt = attempt + 1, status = $2, response_status = $3, response_body = $4, duration_ms = $5,
              error = $6, attempted_at = now() WHERE id = $1`,
      [id, status, result.responseStatus, result.responseBody, result.durationMs, result.error],
    );
  }

  /**
   * Every delivery of an endpoint ends here, so while it is healthy its row is written at most
   * about once a second (lastDeliveryAt is that coarse) instead of serialising the workers on it.
   */
  async recordSuccess(manager: EntityManager, endpointId: string): Promise<void> {
    await manager.query(
      `UPDATE webhook_endpoints SET failure_streak = 0, failing_since = NULL, last_delivery_at = now()
        WHERE id = $1 AND (failure_streak <> 0 OR last_delivery_at IS NULL OR last_delivery_at < now() - interval '1 second')`,
      [endpointId],
    );
  }

  /** Counts a failure; returns why the endpoint was disabled by it, if it was. */
  async recordFailure(manager: EntityManager, endpointId: string, rule: DisableRule): Promise<AutoDisableReason | null> {
    const [rows] = await manager.query(
      `WITH counted AS (
         SELECT id, enabled, failure_streak + 1 AS streak, coalesce(failing_since, now()) AS since FROM webhook_endpoints WHERE id = $1 FOR UPDATE
       ), decided AS (
         SELECT *, CASE
           WHEN NOT enabled THEN NULL
           WHEN streak >= $2 THEN 'consecutive-failures'
           WHEN since <= now() - make_interval(secs => $3::double precision / 1000) THEN 'failing-for-3-days'
         END AS reason FROM counted
       )
       UPDATE webhook_endpoints p SET failure_streak = d.streak, failing_since = d.since, last_delivery_at = now(),
              enabled = p.enabled AND d.reason IS NULL, disabled_reason = coalesce(d.reason, p.disabled_reason)
         FROM decided d WHERE p.id = d.id
       RETURNING d.reason`,
      [endpointId, rule.afterFailures, rule.afterFailingMs],
    );
    return rows[0]?.reason ?? null;
  }

  page(endpointId: string, limit: number, after: ListCursor | undefined): Promise<DeliveryLogRow[]> {
    const select = `SELECT d.id, d.event_id AS "eventId", e.type, d.attempt, d.status, d.response_status AS "responseStatus",
        d.duration_ms AS "durationMs", d.error, coalesce(d.attempted_at, d.created_at) AS at, ${cursorTimeSql('d.created_at')} AS "cursorAt"
      FROM webhook_deliveries d JOIN webhook_events e ON e.id = d.event_id WHERE d.endpoint_id = $1`;
    return after
      ? this.dataSource.query(`${select} AND (d.created_at, d.id) < ($2::timestamptz, $3::uuid) ORDER BY d.created_at DESC, d.id DESC LIMIT $4`, [
          endpointId,
          after.createdAt,
          after.id,
          limit,
        ])
      : this.dataSource.query(`${select} ORDER BY d.created_at DESC, d.id DESC LIMIT $2`, [endpointId, limit]);
  }

  /** The delivery log is kept `days`; deleting an event takes its deliveries with it. */
  async deleteOlderThan(days: number): Promise<number> {
    const [, deliveries] = await this.dataSource.query(`DELETE FROM webhook_deliveries WHERE created_at < now() - make_interval(days => $1)`, [days]);
    const [, events] = await this.dataSource.query(
      `DELETE FROM webhook_events WHERE created_at < now() - make_interval(days => $1) AND dispatched_at IS NOT NULL`,
      [days],
    );
    return deliveries + events;
  }
}
