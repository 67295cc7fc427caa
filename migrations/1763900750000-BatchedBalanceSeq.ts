import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A batched ledger statement moves a balance once for several entries, each with its own `seq`
 * (the `seq` of its `points-updated` event): the statement sets the row's seq to the last of
 * them, and the trigger only bumps a statement that sets none.
 */
export class BatchedBalanceSeq1763900750000 implements MigrationInterface {
  name = 'BatchedBalanceSeq1763900750000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE OR REPLACE FUNCTION point_balances_seq() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        NEW.seq := GREATEST(NEW.seq, OLD.seq + 1);
        RETURN NEW;
      END $$`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE OR REPLACE FUNCTION point_balances_seq() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        NEW.seq := OLD.seq + 1;
        RETURN NEW;
      END $$`);
  }
}
