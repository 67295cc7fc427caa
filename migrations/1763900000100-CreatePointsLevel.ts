import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The one level rule, used by the ledger's statements, the re-levelling after a tier seed and the
 * ledger checks, so that they cannot drift apart. It reads level_configs (owned by levels).
 */
export class CreatePointsLevel1763900000100 implements MigrationInterface {
  name = 'CreatePointsLevel1763900000100';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE FUNCTION points_level(total bigint) RETURNS integer LANGUAGE sql STABLE PARALLEL SAFE AS $$
        SELECT COALESCE((SELECT lc.level FROM level_configs lc WHERE lc.min_points <= total ORDER BY lc.min_points DESC LIMIT 1), 1)
      $$`);
    await db.query(`
      COMMENT ON FUNCTION points_level(bigint) IS
        'The level a points total reaches: the tier with the highest min_points <= total. One fallback: 1, when no tier is that low (a total below every threshold, or no tiers seeded yet).'`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP FUNCTION points_level(bigint)`);
  }
}
