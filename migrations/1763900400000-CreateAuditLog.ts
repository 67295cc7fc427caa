import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Who did what to which target, written in the transaction of the action itself. Append-only:
 * a trigger refuses every UPDATE and DELETE, so a row can only ever be added.
 */
export class CreateAuditLog1763900400000 implements MigrationInterface {
  name = 'CreateAuditLog1763900400000';

  async up(db: QueryRunner): Promise<void> {
    // No foreign keys: an audit row outlives what it names, and actor_id NULL means the CLI.
    await db.query(`
      CREATE TABLE audit_log (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        actor_id uuid,
        action varchar(64) NOT NULL,
        target_type varchar(32) NOT NULL,
        target_id varchar(255) NOT NULL,
        before jsonb,
        after jsonb,
        details jsonb NOT NULL DEFAULT '{}'::jsonb,
        request_id varchar(128),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX audit_log_created_at_idx ON audit_log (created_at DESC, id DESC)`);
    await db.query(`CREATE INDEX audit_log_action_idx ON audit_log (action, created_at DESC, id DESC)`);
    await db.query(`CREATE INDEX audit_log_target_idx ON audit_log (target_id, created_at DESC, id DESC)`);
    await db.query(`
      CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_log is append-only';
      END $$`);
    await db.query(`
      CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
      FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()`);
    await db.query(`
      CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
      FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE audit_log`);
    await db.query(`DROP FUNCTION audit_log_append_only()`);
  }
}
