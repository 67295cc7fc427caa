import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Outbound webhooks (issue 13): endpoints, the outbox of events written in the transaction of
 * the change they report, and one delivery per endpoint and event (its latest attempt).
 */
export class CreateWebhooks1763900300000 implements MigrationInterface {
  name = 'CreateWebhooks1763900300000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE webhook_endpoints (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        url varchar(2048) NOT NULL,
        events varchar(64)[] NOT NULL CHECK (cardinality(events) > 0),
        description varchar(500),
        secret_encrypted bytea NOT NULL,
        enabled boolean NOT NULL DEFAULT true,
        disabled_reason varchar(32),
        failure_streak integer NOT NULL DEFAULT 0,
        failing_since timestamptz,
        last_delivery_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT webhook_endpoints_reason_when_disabled CHECK (enabled = (disabled_reason IS NULL))
      )`);
    await db.query(`CREATE INDEX webhook_endpoints_created_idx ON webhook_endpoints (created_at DESC, id DESC)`);
    await db.query(`
      CREATE TABLE webhook_events (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        type varchar(64) NOT NULL,
        data jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        dispatched_at timestamptz
      )`);
    // The dispatcher's queue: only undispatched events are in it, so polling stays cheap.
    await db.query(`CREATE INDEX webhook_events_undispatched_idx ON webhook_events (created_at) WHERE dispatched_at IS NULL`);
    // For the daily cleanup only; BRIN costs the award path's inserts next to nothing.
    await db.query(`CREATE INDEX webhook_events_created_idx ON webhook_events USING brin (created_at)`);
    await db.query(`
      CREATE TABLE webhook_deliveries (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        endpoint_id uuid NOT NULL REFERENCES webhook_endpoints(id) ON DELETE CASCADE,
        event_id uuid NOT NULL REFERENCES webhook_events(id) ON DELETE CASCADE,
        status varchar(16) NOT NULL DEFAULT 'pending'
          CHECK (status IN ('pending', 'retrying', 'succeeded', 'failed', 'cancelled')),
        attempt integer NOT NULL DEFAULT 0,
        response_status integer,
        response_body varchar(4096),
        duration_ms integer,
        error varchar(500),
        attempted_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT webhook_deliveries_once UNIQUE (endpoint_id, event_id)
      )`);
    await db.query(`CREATE INDEX webhook_deliveries_endpoint_idx ON webhook_deliveries (endpoint_id, created_at DESC, id DESC)`);
    await db.query(`CREATE INDEX webhook_deliveries_event_idx ON webhook_deliveries (event_id)`);
    await db.query(`CREATE INDEX webhook_deliveries_created_idx ON webhook_deliveries (created_at)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE webhook_deliveries`);
    await db.query(`DROP TABLE webhook_events`);
    await db.query(`DROP TABLE webhook_endpoints`);
  }
}
