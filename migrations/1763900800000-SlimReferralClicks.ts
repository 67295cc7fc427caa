import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Clicks are written on every short-link redirect and read only as counts per day (the admin
 * funnel, through the BRIN index on created_at). The (referrer_id, created_at) index and the
 * identity key served no query, yet were most of what a recorded click cost PostgreSQL (13 µs
 * of its CPU per click, 5.7 µs without them), and that work competes with the redirects
 * themselves on the same cores. DROP COLUMN is a catalog change: no table rewrite.
 */
export class SlimReferralClicks1763900800000 implements MigrationInterface {
  name = 'SlimReferralClicks1763900800000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX referral_clicks_referrer_idx`);
    await db.query(`ALTER TABLE referral_clicks DROP COLUMN id`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE referral_clicks ADD COLUMN id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY`);
    await db.query(`CREATE INDEX referral_clicks_referrer_idx ON referral_clicks (referrer_id, created_at)`);
  }
}
