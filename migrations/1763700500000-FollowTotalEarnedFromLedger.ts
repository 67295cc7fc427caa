import { MigrationInterface, QueryRunner } from 'typeorm';

const EARNED = `status = 'posted' AND metadata ? 'purchaseId' AND metadata->>'role' IN ('referrer', 'commission')`;

/**
 * users.total_earned (a referrer's bonuses and commissions, net of clawbacks) follows the ledger
 * entry by entry, in the transaction that writes the entry. Recomputing it from every entry per
 * award made a popular referrer's awards cost O(referees) and conflict with each other.
 */
export class FollowTotalEarnedFromLedger1763700500000 implements MigrationInterface {
  name = 'FollowTotalEarnedFromLedger1763700500000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE FUNCTION users_follow_total_earned() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        delta bigint := 0;
      BEGIN
        IF NOT (NEW.metadata ? 'purchaseId' AND NEW.metadata->>'role' IN ('referrer', 'commission')) THEN
          RETURN NULL;
        END IF;
        IF TG_OP = 'INSERT' THEN
          IF NEW.status = 'posted' THEN delta := NEW.amount; END IF;
        ELSIF NEW.status IS DISTINCT FROM OLD.status THEN
          IF NEW.status = 'posted' THEN delta := NEW.amount;
          ELSIF OLD.status = 'posted' THEN delta := -NEW.amount;
          END IF;
        END IF;
        IF delta <> 0 THEN
          UPDATE users SET total_earned = total_earned + delta WHERE id = NEW.user_id;
        END IF;
        RETURN NULL;
      END $$`);
    await db.query(`
      CREATE TRIGGER point_transactions_total_earned AFTER INSERT OR UPDATE OF status ON point_transactions
      FOR EACH ROW EXECUTE FUNCTION users_follow_total_earned()`);
    await db.query(
      `UPDATE users u SET total_earned = COALESCE((SELECT sum(p.amount) FROM point_transactions p WHERE p.user_id = u.id AND ${EARNED}), 0)`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TRIGGER point_transactions_total_earned ON point_transactions`);
    await db.query(`DROP FUNCTION users_follow_total_earned()`);
  }
}
