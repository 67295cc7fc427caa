import { MigrationInterface, QueryRunner } from 'typeorm';

/** Finds the awards held for a referral's review (`metadata->'heldFor' ? id`) without scanning every pending entry. */
export class IndexHeldAwards1763700500300 implements MigrationInterface {
  name = 'IndexHeldAwards1763700500300';

  async up(db: QueryRunner): Promise<void> {
    await db.query(
      `CREATE INDEX point_transactions_held_for_idx ON point_transactions USING gin ((metadata->'heldFor')) WHERE status = 'pending'`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX point_transactions_held_for_idx`);
  }
}
