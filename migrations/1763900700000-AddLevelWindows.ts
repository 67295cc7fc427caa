import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Level windows (issue 12, LEVEL_WINDOW_MONTHS): a balance qualified over a rolling window keeps
 * where its window started at the last evaluation and what was earned since then, net of
 * clawbacks. Both NULL: lifetime qualification, level = points_level(total), as before.
 */
export class AddLevelWindows1763900700000 implements MigrationInterface {
  name = 'AddLevelWindows1763900700000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`SET LOCAL lock_timeout = '5s'`);
    await db.query(`
      ALTER TABLE point_balances
        ADD COLUMN window_from timestamptz,
        ADD COLUMN qualifying bigint,
        ADD CONSTRAINT point_balances_window_whole CHECK ((window_from IS NULL) = (qualifying IS NULL))`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`SET LOCAL lock_timeout = '5s'`);
    // Back to lifetime levels: the column that would explain a windowed level is going.
    await db.query(`UPDATE point_balances SET level = points_level(total) WHERE window_from IS NOT NULL`);
    await db.query(`ALTER TABLE point_balances DROP CONSTRAINT point_balances_window_whole, DROP COLUMN qualifying, DROP COLUMN window_from`);
  }
}
