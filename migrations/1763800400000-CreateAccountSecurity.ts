import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `token_version` is embedded in every access token and bumped when its password is reset or
 * the account closed, so older tokens stop working. `password_resets` holds one live reset
 * code per user; `code_failures` logs wrong codes so an email gets at most 10 an hour across
 * resends and repeated requests (API.md, Auth).
 */
export class CreateAccountSecurity1763800400000 implements MigrationInterface {
  name = 'CreateAccountSecurity1763800400000';

  async up(db: QueryRunner): Promise<void> {
    // Gives up rather than queueing every request behind a long transaction on the table.
    await db.query(`SET LOCAL lock_timeout = '5s'`);
    await db.query(`ALTER TABLE users ADD COLUMN token_version integer NOT NULL DEFAULT 0`);
    await db.query(`
      CREATE TABLE password_resets (
        user_id uuid PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
        code_hash char(64) NOT NULL,
        attempts integer NOT NULL DEFAULT 0 CONSTRAINT password_resets_attempts_non_negative CHECK (attempts >= 0),
        expires_at timestamptz NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX password_resets_expires_at_idx ON password_resets (expires_at)`);
    await db.query(`
      CREATE TABLE code_failures (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        purpose varchar(16) NOT NULL CHECK (purpose IN ('sign-up', 'password-reset')),
        email varchar(255) NOT NULL,
        failed_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX code_failures_email_idx ON code_failures (purpose, email, failed_at)`);
    await db.query(`CREATE INDEX code_failures_failed_at_idx ON code_failures (failed_at)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE code_failures`);
    await db.query(`DROP TABLE password_resets`);
    await db.query(`ALTER TABLE users DROP COLUMN token_version`);
  }
}
