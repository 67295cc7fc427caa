import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { WebhookEventInput } from '../common/events/outbound-events';

/** The one statement an outbox write sends (the benchmark replays it). */
export const OUTBOX_INSERT_SQL = `INSERT INTO webhook_events (type, data) SELECT * FROM unnest($1::varchar[], $2::jsonb[])`;

/**
 * The outbox the rest of the app writes to: events are rows of the caller's transaction, so a
 * committed change always has them and a rolled-back one never does. The dispatcher fans them
 * out to the endpoints afterwards; nothing here talks to pg-boss or the network.
 */
@Injectable()
export class WebhookOutbox {
  async record(manager: EntityManager, events: readonly WebhookEventInput[]): Promise<void> {
    if (events.length === 0) return;
    if (!manager.queryRunner?.isTransactionActive) throw new Error('WebhookOutbox.record needs an EntityManager inside a transaction');
    // One statement whatever the count: the award path pays one round trip.
    await manager.query(OUTBOX_INSERT_SQL, [
      events.map((e) => e.type),
      events.map((e) => JSON.stringify(e.data)),
    ]);
  }
}
