import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Clicks are an append-only analytics log written on every short-link redirect: the foreign key
 * made each recorded click lock its referrer's users row, and a B-tree on created_at grew with
 * every click where a BRIN index over the insertion order answers the funnel's date ranges.
 * Users are never hard-deleted (soft delete), so the key protected nothing in practice.
 */
export class LightenReferralClicks1763700500200 implements MigrationInterface {
  name = 'LightenReferralClicks1763700500200';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE referral_clicks DROP CONSTRAINT referral_clicks_referrer_id_fkey`);
    await db.query(`DROP INDEX referral_clicks_created_at_idx`);
    await db.query(`CREATE INDEX referral_clicks_created_at_brin ON referral_clicks USING brin (created_at)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX referral_clicks_created_at_brin`);
    await db.query(`CREATE INDEX referral_clicks_created_at_idx ON referral_clicks (created_at)`);
    await db.query(
      `ALTER TABLE referral_clicks ADD CONSTRAINT referral_clicks_referrer_id_fkey
         FOREIGN KEY (referrer_id) REFERENCES users(id) ON DELETE CASCADE`,
    );
  }
}
