import { MigrationInterface, QueryRunner } from 'typeorm';

/** Ledger sign rules, notifications, redemptions and HTTP idempotency keys. */
export class CreateLedgerExtras1763700200000 implements MigrationInterface {
  name = 'CreateLedgerExtras1763700200000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE point_transactions
        ADD CONSTRAINT point_transactions_amount_sign CHECK (
          (type IN ('earn', 'refund') AND amount > 0) OR (type IN ('spend', 'clawback', 'expire') AND amount < 0)),
        ADD CONSTRAINT point_transactions_hold_only_credits CHECK (status = 'posted' OR type IN ('earn', 'refund'))`);
    // A debt exists only while nothing is available: credits settle it before anything becomes spendable.
    await db.query(
      `ALTER TABLE users ADD CONSTRAINT users_debt_only_when_empty CHECK (points_debt = 0 OR points_available = 0)`,
    );
    await db.query(`CREATE INDEX point_transactions_pending_idx ON point_transactions (user_id) WHERE status = 'pending'`);
    await db.query(`
      CREATE TABLE notifications (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        type varchar(32) NOT NULL,
        title varchar(200) NOT NULL,
        message varchar(1000) NOT NULL,
        read_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX notifications_user_idx ON notifications (user_id, created_at DESC, id DESC)`);
    await db.query(`
      CREATE TABLE reward_redemptions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE RESTRICT,
        transaction_id uuid NOT NULL REFERENCES point_transactions(id) ON DELETE RESTRICT,
        type varchar(32) NOT NULL CHECK (type IN ('service-credit', 'discount-code')),
        value bigint NOT NULL CHECK (value > 0),
        code varchar(32),
        status varchar(16) NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'used', 'cancelled')),
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT reward_redemptions_transaction_key UNIQUE (transaction_id),
        CONSTRAINT reward_redemptions_code_key UNIQUE (code),
        CONSTRAINT reward_redemptions_code_for_discount CHECK ((type = 'discount-code') = (code IS NOT NULL))
      )`);
    await db.query(`CREATE INDEX reward_redemptions_user_idx ON reward_redemptions (user_id, created_at DESC)`);
    await db.query(`
      CREATE TABLE idempotency_keys (
        caller varchar(64) NOT NULL,
        key varchar(255) NOT NULL,
        request_hash char(64) NOT NULL,
        status varchar(16) NOT NULL DEFAULT 'in-progress' CHECK (status IN ('in-progress', 'completed')),
        response_status integer,
        response_body jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        completed_at timestamptz,
        PRIMARY KEY (caller, key)
      )`);
    await db.query(`CREATE INDEX idempotency_keys_created_at_idx ON idempotency_keys (created_at)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE idempotency_keys`);
    await db.query(`DROP TABLE reward_redemptions`);
    await db.query(`DROP TABLE notifications`);
    await db.query(`DROP INDEX point_transactions_pending_idx`);
    await db.query(`ALTER TABLE users DROP CONSTRAINT users_debt_only_when_empty`);
    await db.query(`
      ALTER TABLE point_transactions
        DROP CONSTRAINT point_transactions_hold_only_credits,
        DROP CONSTRAINT point_transactions_amount_sign`);
  }
}
