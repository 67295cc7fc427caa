import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The admin console's user search matches `lower(email) LIKE 'prefix%'`: text_pattern_ops lets
 * that use an index whatever the database's collation. The inbox counts and lists a user's
 * unread notifications off a partial index.
 */
export class IndexAdminLookups1763900400001 implements MigrationInterface {
  name = 'IndexAdminLookups1763900400001';

  async up(db: QueryRunner): Promise<void> {
    // Gives up rather than queueing every request behind a long transaction on the table.
    await db.query(`SET LOCAL lock_timeout = '5s'`);
    await db.query(`CREATE INDEX users_email_prefix_idx ON users (lower(email) text_pattern_ops) WHERE deleted_at IS NULL`);
    await db.query(
      `CREATE INDEX notifications_unread_idx ON notifications (user_id, created_at DESC, id DESC) WHERE read_at IS NULL`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX notifications_unread_idx`);
    await db.query(`DROP INDEX users_email_prefix_idx`);
  }
}
