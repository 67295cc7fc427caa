import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateLevelConfigs1763700000300 implements MigrationInterface {
  name = 'CreateLevelConfigs1763700000300';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE level_configs (
        level integer PRIMARY KEY CHECK (level >= 1),
        name varchar(100) NOT NULL,
        min_points bigint NOT NULL CHECK (min_points >= 0),
        perks jsonb NOT NULL DEFAULT '[]'::jsonb,
        CONSTRAINT level_configs_min_points_key UNIQUE (min_points) DEFERRABLE INITIALLY IMMEDIATE
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE level_configs`);
  }
}
