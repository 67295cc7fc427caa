import { MigrationInterface, QueryRunner } from 'typeorm';

/** Purchases from the commerce system, the referral that a purchase converted, and the indexes analytics reads. */
export class CreatePurchases1763700300000 implements MigrationInterface {
  name = 'CreatePurchases1763700300000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE purchases (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        order_id varchar(255) NOT NULL,
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE RESTRICT,
        amount bigint NOT NULL CHECK (amount > 0),
        currency char(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
        completed_at timestamptz NOT NULL,
        status varchar(24) NOT NULL DEFAULT 'completed' CHECK (status IN ('completed', 'partially_refunded', 'refunded')),
        refunded_amount bigint NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT purchases_order_id_key UNIQUE (order_id),
        CONSTRAINT purchases_refunded_amount_range CHECK (refunded_amount >= 0 AND refunded_amount <= amount),
        CONSTRAINT purchases_status_matches_refund CHECK (
          (status = 'completed' AND refunded_amount = 0)
          OR (status = 'partially_refunded' AND refunded_amount > 0 AND refunded_amount < amount)
          OR (status = 'refunded' AND refunded_amount = amount))
      )`);
    await db.query(`CREATE INDEX purchases_user_completed_idx ON purchases (user_id, completed_at DESC)`);
    await db.query(`CREATE INDEX purchases_created_at_idx ON purchases (created_at)`);
    await db.query(`ALTER TABLE referrals ADD COLUMN converted_purchase_id uuid REFERENCES purchases(id) ON DELETE SET NULL`);
    await db.query(`CREATE INDEX referrals_converted_at_idx ON referrals (converted_at) WHERE converted_at IS NOT NULL`);
    await db.query(`CREATE INDEX users_created_at_idx ON users (created_at)`);
    // Every award and clawback of an order carries its purchase id: refunds and releases find them by it.
    await db.query(
      `CREATE INDEX point_transactions_purchase_idx ON point_transactions ((metadata->>'purchaseId')) WHERE metadata ? 'purchaseId'`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX point_transactions_purchase_idx`);
    await db.query(`DROP INDEX users_created_at_idx`);
    await db.query(`DROP INDEX referrals_converted_at_idx`);
    await db.query(`ALTER TABLE referrals DROP COLUMN converted_purchase_id`);
    await db.query(`DROP TABLE purchases`);
  }
}
