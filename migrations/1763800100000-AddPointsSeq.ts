import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `points_seq` counts the changes of a user's balances: the `seq` of `points-updated` (API.md).
 * A trigger bumps it in the very statement that moves a balance, so it follows the commit order
 * of that user's changes on every instance, whichever statement (now or later) does the move.
 */
export class AddPointsSeq1763800100000 implements MigrationInterface {
  name = 'AddPointsSeq1763800100000';

  async up(db: QueryRunner): Promise<void> {
    // Gives up rather than queueing every request behind a long transaction on the table.
    await db.query(`SET LOCAL lock_timeout = '5s'`);
    await db.query(`ALTER TABLE users ADD COLUMN points_seq bigint NOT NULL DEFAULT 0`);
    await db.query(`
      CREATE FUNCTION users_points_seq() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        NEW.points_seq := OLD.points_seq + 1;
        RETURN NEW;
      END $$`);
    await db.query(`
      CREATE TRIGGER users_points_seq BEFORE UPDATE OF points_total, points_available, points_pending, points_debt ON users
      FOR EACH ROW EXECUTE FUNCTION users_points_seq()`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TRIGGER users_points_seq ON users`);
    await db.query(`DROP FUNCTION users_points_seq()`);
    await db.query(`ALTER TABLE users DROP COLUMN points_seq`);
  }
}
