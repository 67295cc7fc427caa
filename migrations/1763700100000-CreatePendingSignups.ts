import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreatePendingSignups1763700100000 implements MigrationInterface {
  name = 'CreatePendingSignups1763700100000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE pending_signups (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        email varchar(255) NOT NULL CONSTRAINT pending_signups_email_lower CHECK (email = lower(email)),
        name varchar(100) NOT NULL,
        password_hash varchar(255) NOT NULL,
        code_hash char(64) NOT NULL,
        attempts integer NOT NULL DEFAULT 0 CONSTRAINT pending_signups_attempts_non_negative CHECK (attempts >= 0),
        expires_at timestamptz NOT NULL,
        referral_code varchar(16),
        signup_ip varchar(64),
        signup_device_id varchar(255),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pending_signups_email_key UNIQUE (email)
      )`);
    await db.query(`CREATE INDEX pending_signups_expires_at_idx ON pending_signups (expires_at)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE pending_signups`);
  }
}
