import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The purchase↔award link as columns of the purchases module instead of keys of the ledger's
 * metadata: one `purchase_awards` row per award entry (with its hold state), one
 * `purchase_award_clawbacks` row per clawback entry. Backfilled from the metadata that awards
 * and clawbacks carried until now (they still carry it, for people reading the ledger, so down
 * loses nothing). Two views publish what other modules read: `held_awards` (the one definition
 * of an award held for review) and `referral_earnings` (the one definition of what a referrer
 * earned: posted bonuses and commissions net of clawbacks).
 */
export class CreatePurchaseAwards1763900100010 implements MigrationInterface {
  name = 'CreatePurchaseAwards1763900100010';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`SET LOCAL lock_timeout = '5s'`);
    await db.query(`
      CREATE TABLE purchase_awards (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        purchase_id uuid NOT NULL REFERENCES purchases(id) ON DELETE RESTRICT,
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE RESTRICT,
        role varchar(16) NOT NULL CHECK (role IN ('referee', 'referrer', 'commission')),
        level smallint NOT NULL CHECK (level BETWEEN 0 AND 2),
        ledger_entry_id uuid NOT NULL REFERENCES point_transactions(id) ON DELETE RESTRICT,
        amount bigint NOT NULL CHECK (amount > 0),
        state varchar(8) NOT NULL CHECK (state IN ('held', 'posted', 'voided')),
        held_for uuid[] NOT NULL DEFAULT '{}',
        release_after timestamptz,
        released_at timestamptz,
        voided_at timestamptz,
        clawed_back bigint NOT NULL DEFAULT 0 CHECK (clawed_back >= 0),
        rules_version integer,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT purchase_awards_ledger_entry_key UNIQUE (ledger_entry_id),
        CONSTRAINT purchase_awards_purchase_role_level_key UNIQUE (purchase_id, role, level),
        CONSTRAINT purchase_awards_clawed_back_posted CHECK (state = 'posted' OR clawed_back = 0)
      )`);
    await db.query(`CREATE INDEX purchase_awards_held_for_idx ON purchase_awards USING gin (held_for) WHERE state = 'held'`);
    await db.query(`CREATE INDEX purchase_awards_user_idx ON purchase_awards (user_id, purchase_id)`);
    await db.query(`
      CREATE TABLE purchase_award_clawbacks (
        ledger_entry_id uuid PRIMARY KEY REFERENCES point_transactions(id) ON DELETE RESTRICT,
        award_id uuid NOT NULL REFERENCES purchase_awards(id) ON DELETE RESTRICT,
        amount bigint NOT NULL CHECK (amount > 0),
        refunded_total bigint NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX purchase_award_clawbacks_award_idx ON purchase_award_clawbacks (award_id)`);

    await db.query(`
      INSERT INTO purchase_awards (purchase_id, user_id, role, level, ledger_entry_id, amount, state, held_for, release_after,
                                   released_at, voided_at, created_at, updated_at)
      SELECT pu.id, t.user_id, t.metadata->>'role', (t.metadata->>'level')::smallint, t.id, t.amount,
             CASE t.status WHEN 'pending' THEN 'held' ELSE t.status END,
             COALESCE(ARRAY(SELECT jsonb_array_elements_text(t.metadata->'heldFor'))::uuid[], '{}'),
             (t.metadata->>'releaseAfter')::timestamptz,
             CASE WHEN t.status = 'posted' AND (t.metadata ? 'heldFor' OR t.metadata ? 'releaseAfter') THEN t.created_at END,
             CASE WHEN t.status = 'voided' THEN t.created_at END,
             t.created_at, t.created_at
        FROM point_transactions t JOIN purchases pu ON pu.id::text = t.metadata->>'purchaseId'
       WHERE t.type = 'earn' AND t.idempotency_key LIKE 'purchase:%' AND t.metadata ? 'purchaseId'
         AND t.metadata->>'role' IN ('referee', 'referrer', 'commission')`);
    await db.query(`
      INSERT INTO purchase_award_clawbacks (ledger_entry_id, award_id, amount, refunded_total, created_at)
      SELECT c.id, a.id, -c.amount, COALESCE((c.metadata->>'refundedAmount')::bigint, 0), c.created_at
        FROM point_transactions c
        JOIN point_transactions e ON e.idempotency_key = c.metadata->>'awardKey'
        JOIN purchase_awards a ON a.ledger_entry_id = e.id
       WHERE c.type = 'clawback' AND c.metadata ? 'awardKey'`);
    await db.query(`
      UPDATE purchase_awards a SET clawed_back = c.taken
        FROM (SELECT award_id, sum(amount) AS taken FROM purchase_award_clawbacks GROUP BY award_id) c
       WHERE c.award_id = a.id AND a.state = 'posted'`);

    await db.query(`
      CREATE VIEW held_awards AS
      SELECT id, purchase_id, user_id, role, level, ledger_entry_id, amount, held_for, release_after
        FROM purchase_awards WHERE state = 'held'`);
    await db.query(`
      CREATE VIEW referral_earnings AS
      SELECT user_id, purchase_id, amount - clawed_back AS earned
        FROM purchase_awards WHERE state = 'posted' AND role IN ('referrer', 'commission')`);

    // Nothing reads the ledger's metadata keys any more.
    await db.query(`DROP INDEX point_transactions_purchase_idx`);
    await db.query(`DROP INDEX point_transactions_held_for_idx`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(
      `CREATE INDEX point_transactions_held_for_idx ON point_transactions USING gin ((metadata->'heldFor')) WHERE status = 'pending'`,
    );
    await db.query(
      `CREATE INDEX point_transactions_purchase_idx ON point_transactions ((metadata->>'purchaseId')) WHERE metadata ? 'purchaseId'`,
    );
    await db.query(`DROP VIEW referral_earnings`);
    await db.query(`DROP VIEW held_awards`);
    await db.query(`DROP TABLE purchase_award_clawbacks`);
    await db.query(`DROP TABLE purchase_awards`);
  }
}
