import { MigrationInterface, QueryRunner } from 'typeorm';

/** Self-referral checks compute the canonical mailbox from `email` (src/users/email-canonical.ts); nothing read the stored copy. */
export class DropEmailCanonical1763700500400 implements MigrationInterface {
  name = 'DropEmailCanonical1763700500400';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE users DROP COLUMN email_canonical`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE users ADD COLUMN email_canonical varchar(255)`);
    await db.query(`UPDATE users SET email_canonical = lower(email)`);
    await db.query(`ALTER TABLE users ALTER COLUMN email_canonical SET NOT NULL`);
    await db.query(`CREATE INDEX users_email_canonical_idx ON users (email_canonical)`);
  }
}
