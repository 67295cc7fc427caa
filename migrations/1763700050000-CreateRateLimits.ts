import { MigrationInterface, QueryRunner } from 'typeorm';

/** Counters for per-IP rate limits when no REDIS_URL is set (rate-limiter-flexible's layout). */
export class CreateRateLimits1763700050000 implements MigrationInterface {
  name = 'CreateRateLimits1763700050000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE UNLOGGED TABLE rate_limits (
        key varchar(255) PRIMARY KEY,
        points integer NOT NULL DEFAULT 0,
        expire bigint
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE rate_limits`);
  }
}
