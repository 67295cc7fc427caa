import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreatePointTransactions1763700000200 implements MigrationInterface {
  name = 'CreatePointTransactions1763700000200';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE point_transactions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE RESTRICT,
        type varchar(16) NOT NULL CHECK (type IN ('earn', 'spend', 'refund', 'clawback', 'expire')),
        amount bigint NOT NULL CHECK (amount <> 0),
        source varchar(16) NOT NULL CHECK (source IN ('purchase', 'referral', 'bonus', 'admin', 'redeem')),
        status varchar(16) NOT NULL DEFAULT 'posted' CHECK (status IN ('posted', 'pending', 'voided')),
        balance_after bigint NOT NULL CHECK (balance_after >= 0),
        description varchar(500),
        metadata jsonb NOT NULL DEFAULT '{}'::jsonb,
        idempotency_key varchar(255),
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT point_transactions_idempotency_key_key UNIQUE (idempotency_key)
      )`);
    await db.query(`CREATE INDEX point_transactions_user_idx ON point_transactions (user_id, created_at DESC, id DESC)`);
    await db.query(`CREATE INDEX point_transactions_created_at_idx ON point_transactions (created_at)`);
    // Append-only: history is corrected by new entries, never by editing old ones.
    await db.query(`
      CREATE FUNCTION point_transactions_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' THEN
          RAISE EXCEPTION 'point_transactions is append-only';
        END IF;
        IF NEW.user_id <> OLD.user_id OR NEW.type <> OLD.type OR NEW.amount <> OLD.amount
           OR NEW.source <> OLD.source OR NEW.balance_after <> OLD.balance_after
           OR NEW.idempotency_key IS DISTINCT FROM OLD.idempotency_key OR NEW.created_at <> OLD.created_at THEN
          RAISE EXCEPTION 'point_transactions is append-only: only status and metadata may change';
        END IF;
        RETURN NEW;
      END $$`);
    await db.query(`
      CREATE TRIGGER point_transactions_append_only BEFORE UPDATE OR DELETE ON point_transactions
      FOR EACH ROW EXECUTE FUNCTION point_transactions_append_only()`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE point_transactions`);
    await db.query(`DROP FUNCTION point_transactions_append_only()`);
  }
}
