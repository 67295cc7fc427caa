import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A user's balances move off `users` into `point_balances`, owned by points: the only module that
 * writes them. The seq trigger moves with them. Users created from now on get their row from the
 * ledger's first write; until then they read as zero balances.
 */
export class CreatePointBalances1763900000000 implements MigrationInterface {
  name = 'CreatePointBalances1763900000000';

  async up(db: QueryRunner): Promise<void> {
    // Gives up rather than queueing every request behind a long transaction on users.
    await db.query(`SET LOCAL lock_timeout = '5s'`);
    await db.query(`
      CREATE TABLE point_balances (
        user_id uuid PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
        total bigint NOT NULL DEFAULT 0,
        available bigint NOT NULL DEFAULT 0 CONSTRAINT point_balances_available_non_negative CHECK (available >= 0),
        pending bigint NOT NULL DEFAULT 0 CONSTRAINT point_balances_pending_non_negative CHECK (pending >= 0),
        debt bigint NOT NULL DEFAULT 0 CONSTRAINT point_balances_debt_non_negative CHECK (debt >= 0),
        level integer NOT NULL DEFAULT 1,
        seq bigint NOT NULL DEFAULT 0,
        updated_at timestamptz NOT NULL DEFAULT now(),
        -- A debt exists only while nothing is available: credits settle it before anything becomes spendable.
        CONSTRAINT point_balances_debt_only_when_empty CHECK (debt = 0 OR available = 0)
      )`);
    await db.query(`
      INSERT INTO point_balances (user_id, total, available, pending, debt, level, seq, updated_at)
      SELECT id, points_total, points_available, points_pending, points_debt, level, points_seq, updated_at FROM users`);
    await db.query(`DROP TRIGGER users_points_seq ON users`);
    await db.query(`DROP FUNCTION users_points_seq()`);
    // `seq` is the `seq` of `points-updated` (API.md): bumped in the very statement that moves a balance.
    await db.query(`
      CREATE FUNCTION point_balances_seq() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        NEW.seq := OLD.seq + 1;
        RETURN NEW;
      END $$`);
    await db.query(`
      CREATE TRIGGER point_balances_seq BEFORE UPDATE OF total, available, pending, debt ON point_balances
      FOR EACH ROW EXECUTE FUNCTION point_balances_seq()`);
    await db.query(`
      ALTER TABLE users
        DROP COLUMN points_total, DROP COLUMN points_available, DROP COLUMN points_pending,
        DROP COLUMN points_debt, DROP COLUMN level, DROP COLUMN points_seq`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`SET LOCAL lock_timeout = '5s'`);
    await db.query(`
      ALTER TABLE users
        ADD COLUMN points_total bigint NOT NULL DEFAULT 0,
        ADD COLUMN points_available bigint NOT NULL DEFAULT 0 CONSTRAINT users_points_available_non_negative CHECK (points_available >= 0),
        ADD COLUMN points_pending bigint NOT NULL DEFAULT 0 CONSTRAINT users_points_pending_non_negative CHECK (points_pending >= 0),
        ADD COLUMN points_debt bigint NOT NULL DEFAULT 0 CONSTRAINT users_points_debt_non_negative CHECK (points_debt >= 0),
        ADD COLUMN level integer NOT NULL DEFAULT 1,
        ADD COLUMN points_seq bigint NOT NULL DEFAULT 0,
        ADD CONSTRAINT users_debt_only_when_empty CHECK (points_debt = 0 OR points_available = 0)`);
    // users.updated_at is the users module's own: it stays as it is. Users without a row keep the defaults (zeros, level 1).
    await db.query(`
      UPDATE users u SET points_total = b.total, points_available = b.available, points_pending = b.pending,
                         points_debt = b.debt, level = b.level, points_seq = b.seq
      FROM point_balances b WHERE b.user_id = u.id`);
    await db.query(`DROP TRIGGER point_balances_seq ON point_balances`);
    await db.query(`DROP FUNCTION point_balances_seq()`);
    await db.query(`
      CREATE FUNCTION users_points_seq() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        NEW.points_seq := OLD.points_seq + 1;
        RETURN NEW;
      END $$`);
    await db.query(`
      CREATE TRIGGER users_points_seq BEFORE UPDATE OF points_total, points_available, points_pending, points_debt ON users
      FOR EACH ROW EXECUTE FUNCTION users_points_seq()`);
    await db.query(`DROP TABLE point_balances`);
  }
}
