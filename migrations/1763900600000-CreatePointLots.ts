import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Points expiry (issue 12): every posted credit opens a lot, debits consume lots soonest-expiry
 * first, so the open lots' `remaining` always add up to `available`. Balances from before lots
 * existed become one never-expiring lot per user (entry_id NULL); when expiry is turned on, the
 * expiry job dates every never-expiring lot N days after that run (expiry-lots.ts).
 */
export class CreatePointLots1763900600000 implements MigrationInterface {
  name = 'CreatePointLots1763900600000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`SET LOCAL lock_timeout = '5s'`);
    await db.query(`
      CREATE TABLE point_lots (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        entry_id uuid REFERENCES point_transactions(id) ON DELETE CASCADE,
        amount bigint NOT NULL CONSTRAINT point_lots_amount_positive CHECK (amount > 0),
        remaining bigint NOT NULL CONSTRAINT point_lots_remaining_in_amount CHECK (remaining >= 0 AND remaining <= amount),
        expires_at timestamptz,
        reminded_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX point_lots_open_idx ON point_lots (user_id, expires_at) WHERE remaining > 0`);
    // The expiry and reminder jobs look for due lots across all users.
    await db.query(`CREATE INDEX point_lots_due_idx ON point_lots (expires_at) WHERE remaining > 0 AND expires_at IS NOT NULL`);
    await db.query(`
      INSERT INTO point_lots (user_id, amount, remaining)
      SELECT user_id, available, available FROM point_balances WHERE available > 0`);
    await db.query(`ALTER TABLE point_transactions DROP CONSTRAINT point_transactions_source_check`);
    await db.query(`
      ALTER TABLE point_transactions ADD CONSTRAINT point_transactions_source_check
        CHECK (source IN ('purchase', 'referral', 'bonus', 'admin', 'redeem', 'system'))`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`SET LOCAL lock_timeout = '5s'`);
    await db.query(`DROP TABLE point_lots`);
    // Expiry entries keep their amounts (the balances stay right); only their source is renamed,
    // past the append-only guard, which this one statement alone skips.
    await db.query(`ALTER TABLE point_transactions DISABLE TRIGGER point_transactions_append_only`);
    await db.query(`UPDATE point_transactions SET source = 'admin' WHERE source = 'system'`);
    await db.query(`ALTER TABLE point_transactions ENABLE TRIGGER point_transactions_append_only`);
    await db.query(`ALTER TABLE point_transactions DROP CONSTRAINT point_transactions_source_check`);
    await db.query(`
      ALTER TABLE point_transactions ADD CONSTRAINT point_transactions_source_check
        CHECK (source IN ('purchase', 'referral', 'bonus', 'admin', 'redeem'))`);
  }
}
