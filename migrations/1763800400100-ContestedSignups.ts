import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A pending sign-up repeated with another password is `contested`: the mailbox owner's code
 * then creates the account without a password (they set one with a reset), so whoever signed
 * up first with someone else's email cannot log in to the account that code activates.
 */
export class ContestedSignups1763800400100 implements MigrationInterface {
  name = 'ContestedSignups1763800400100';

  async up(db: QueryRunner): Promise<void> {
    // Gives up rather than queueing every request behind a long transaction on the table.
    await db.query(`SET LOCAL lock_timeout = '5s'`);
    await db.query(`ALTER TABLE pending_signups ADD COLUMN contested boolean NOT NULL DEFAULT false`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE pending_signups DROP COLUMN contested`);
  }
}
