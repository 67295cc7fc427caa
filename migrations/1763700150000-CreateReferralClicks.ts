import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateReferralClicks1763700150000 implements MigrationInterface {
  name = 'CreateReferralClicks1763700150000';

  async up(db: QueryRunner): Promise<void> {
    // ip_hash is an HMAC-SHA256 of the client IP: clicks can be de-duplicated, never traced back to an address.
    await db.query(`
      CREATE TABLE referral_clicks (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        referrer_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        code varchar(16) NOT NULL,
        ip_hash char(64),
        device_id varchar(255),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX referral_clicks_created_at_idx ON referral_clicks (created_at)`);
    await db.query(`CREATE INDEX referral_clicks_referrer_idx ON referral_clicks (referrer_id, created_at)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE referral_clicks`);
  }
}
