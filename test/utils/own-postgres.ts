import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { databaseUrl, EmbeddedDatabase, freePort, startEmbeddedDatabase } from '../../src/database/embedded-database';
import { prepareAppDatabase } from '../../src/prepare-app-database';
import { installJobSchema } from '../../src/jobs/install-job-schema';
import { TEST_POSTGRES_SPEED } from '../setup/postgres-speed';

export interface OwnPostgres {
  port: number;
  /** The prepared database (migrated, seeded, pg-boss installed). */
  url: string;
  adminUrl: string;
  /** Terminates every client backend but the caller's own; returns how many it ended. */
  terminateBackends(): Promise<number>;
  /** Stops the server (fast shutdown) and starts it again on the same port and data folder. */
  restart(): Promise<void>;
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops the server and removes its folder. */
  destroy(): Promise<void>;
}

/**
 * A PostgreSQL of the test's own, for tests that kill backends or restart the server: never the
 * shared one. Commit timestamps are on, so a test can tell when each ledger entry committed; the
 * speed settings are on too: killed backends and fast-shutdown restarts lose nothing committed
 * (only a crash of the server or the machine could, which no test does).
 */
export async function startOwnPostgres(database = 'faults'): Promise<OwnPostgres> {
  const dataDir = mkdtempSync(join(tmpdir(), 'referral-points-faults-'));
  // As root, postgres runs as its own user and must be able to enter the folder.
  chmodSync(dataDir, 0o755);
  const port = await freePort();
  // The project's own embedded start, which also works as root from a folder only root can enter.
  let server: EmbeddedDatabase = await startEmbeddedDatabase({ dataDir, port });
  await withClient(server.url, async (c) => {
    await c.query(`ALTER SYSTEM SET track_commit_timestamp = on`);
    await c.query(`ALTER SYSTEM SET max_connections = 200`);
    for (const [name, value] of Object.entries(TEST_POSTGRES_SPEED)) await c.query(`ALTER SYSTEM SET ${name} = '${value}'`);
  });
  await server.stop();
  server = await startEmbeddedDatabase({ dataDir, port });
  const adminUrl = server.url;
  await withClient(adminUrl, (c) => c.query(`CREATE DATABASE ${database}`));
  const url = databaseUrl(adminUrl, database);
  await prepareAppDatabase(url);
  await installJobSchema(url);

  let running = true;
  const stop = async () => {
    if (!running) return;
    running = false;
    await server.stop();
  };
  const start = async () => {
    server = await startEmbeddedDatabase({ dataDir, port });
    running = true;
  };
  return {
    port,
    url,
    adminUrl,
    terminateBackends: () =>
      withClient(adminUrl, async (c) => {
        const { rows } = await c.query<{ ended: boolean }>(
          `SELECT pg_terminate_backend(pid) AS ended FROM pg_stat_activity WHERE pid <> pg_backend_pid() AND backend_type = 'client backend'`,
        );
        return rows.filter((r) => r.ended).length;
      }),
    restart: async () => {
      await stop();
      await start();
    },
    stop,
    start,
    destroy: async () => {
      await stop().catch(() => undefined);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}
