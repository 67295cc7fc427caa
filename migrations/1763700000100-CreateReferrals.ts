import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateReferrals1763700000100 implements MigrationInterface {
  name = 'CreateReferrals1763700000100';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE referrals (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        referrer_id uuid NOT NULL REFERENCES users(id) ON DELETE RESTRICT,
        referee_id uuid NOT NULL REFERENCES users(id) ON DELETE RESTRICT,
        code varchar(16) NOT NULL,
        status varchar(16) NOT NULL CHECK (status IN ('pending', 'converted', 'flagged', 'rejected')),
        reasons jsonb NOT NULL DEFAULT '[]'::jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        converted_at timestamptz,
        reviewed_at timestamptz,
        reviewed_by_id uuid REFERENCES users(id) ON DELETE SET NULL,
        CONSTRAINT referrals_referee_key UNIQUE (referee_id),
        CONSTRAINT referrals_not_self CHECK (referrer_id <> referee_id)
      )`);
    await db.query(`CREATE INDEX referrals_referrer_idx ON referrals (referrer_id, created_at DESC, id DESC)`);
    await db.query(`CREATE INDEX referrals_status_idx ON referrals (status, created_at DESC) WHERE status = 'flagged'`);
    await db.query(`CREATE INDEX referrals_created_at_idx ON referrals (created_at)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE referrals`);
  }
}
