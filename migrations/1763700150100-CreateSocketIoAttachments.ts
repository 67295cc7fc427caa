import { MigrationInterface, QueryRunner } from 'typeorm';

/** The table @socket.io/postgres-adapter keeps payloads too large (or binary) for NOTIFY in. */
export class CreateSocketIoAttachments1763700150100 implements MigrationInterface {
  name = 'CreateSocketIoAttachments1763700150100';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE socket_io_attachments (
        id bigserial UNIQUE,
        created_at timestamptz DEFAULT now(),
        payload bytea
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE socket_io_attachments`);
  }
}
