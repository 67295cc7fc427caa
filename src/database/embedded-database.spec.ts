import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { startEmbeddedDatabase } from './embedded-database';

async function query(url: string, sql: string) {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}

describe('startEmbeddedDatabase', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'embedded-spec-'));
  chmodSync(dataDir, 0o755);
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('initialises an empty folder, and keeps the data across a stop and a start', async () => {
    const first = await startEmbeddedDatabase({ dataDir });
    await query(first.url, `CREATE TABLE kept (v text); INSERT INTO kept VALUES ('still here')`);
    await first.stop();

    const second = await startEmbeddedDatabase({ dataDir });
    try {
      expect(await query(second.url, `SELECT v FROM kept`)).toEqual([{ v: 'still here' }]);
      // Without settings (production's start) the server keeps PostgreSQL's durable defaults.
      expect(await query(second.url, `SELECT current_setting('fsync') AS fsync`)).toEqual([{ fsync: 'on' }]);
    } finally {
      await second.stop();
    }
  });

  it('starts with the settings it is given (the tests\' speed settings)', async () => {
    const server = await startEmbeddedDatabase({ dataDir, settings: { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off' } });
    try {
      const [row] = await query(
        server.url,
        `SELECT current_setting('fsync') AS fsync, current_setting('synchronous_commit') AS sc, current_setting('full_page_writes') AS fpw`,
      );
      expect(row).toEqual({ fsync: 'off', sc: 'off', fpw: 'off' });
    } finally {
      await server.stop();
    }
  });
});
