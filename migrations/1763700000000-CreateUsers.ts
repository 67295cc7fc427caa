import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateUsers1763700000000 implements MigrationInterface {
  name = 'CreateUsers1763700000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE users (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        email varchar(255) NOT NULL,
        email_canonical varchar(255) NOT NULL,
        password_hash varchar(255),
        name varchar(100) NOT NULL,
        role varchar(16) NOT NULL DEFAULT 'user' CHECK (role IN ('user', 'admin')),
        google_id varchar(255),
        referral_code varchar(16),
        referred_by_id uuid REFERENCES users(id) ON DELETE RESTRICT,
        total_referrals integer NOT NULL DEFAULT 0 CHECK (total_referrals >= 0),
        active_referrals integer NOT NULL DEFAULT 0 CHECK (active_referrals >= 0),
        converted_referrals integer NOT NULL DEFAULT 0 CHECK (converted_referrals >= 0),
        total_earned bigint NOT NULL DEFAULT 0,
        last_referral_at timestamptz,
        points_total bigint NOT NULL DEFAULT 0,
        points_available bigint NOT NULL DEFAULT 0 CONSTRAINT users_points_available_non_negative CHECK (points_available >= 0),
        points_pending bigint NOT NULL DEFAULT 0 CONSTRAINT users_points_pending_non_negative CHECK (points_pending >= 0),
        points_debt bigint NOT NULL DEFAULT 0 CONSTRAINT users_points_debt_non_negative CHECK (points_debt >= 0),
        level integer NOT NULL DEFAULT 1,
        signup_ip varchar(64),
        signup_device_id varchar(255),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        deleted_at timestamptz,
        CONSTRAINT users_not_self_referred CHECK (referred_by_id IS NULL OR referred_by_id <> id)
      )`);
    await db.query(`CREATE UNIQUE INDEX users_email_key ON users (lower(email)) WHERE deleted_at IS NULL`);
    await db.query(`CREATE UNIQUE INDEX users_referral_code_key ON users (referral_code)`);
    await db.query(`CREATE UNIQUE INDEX users_google_id_key ON users (google_id)`);
    await db.query(`CREATE INDEX users_referred_by_id_idx ON users (referred_by_id) WHERE referred_by_id IS NOT NULL`);
    await db.query(`CREATE INDEX users_email_canonical_idx ON users (email_canonical)`);
    await db.query(
      `CREATE INDEX users_leaderboard_idx ON users (total_referrals DESC, last_referral_at ASC, id ASC) WHERE deleted_at IS NULL`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE users`);
  }
}
