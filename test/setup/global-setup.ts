import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import type { TestProject } from 'vitest/node';
import { databaseUrl } from '../../src/database/embedded-database';
import { prepareAppDatabase } from '../../src/prepare-app-database';
import { installJobSchema } from '../../src/jobs/install-job-schema';
import { startTestPostgres } from './test-postgres';
import { dropDatabases } from './test-databases';

declare module 'vitest' {
  export interface ProvidedContext {
    pgAdminUrl: string;
    pgTemplate: string;
    pgPrefix: string;
  }
}

/** One PostgreSQL for the run and a migrated template that every test file clones. */
export default async function setup(project: TestProject) {
  const log = (line: string) => process.stdout.write(`[test-db] ${line}\n`);
  const pg = await startTestPostgres(log);
  const prefix = `rp_${randomBytes(3).toString('hex')}_`;
  const template = `${prefix}template`;
  const admin = new Client({ connectionString: pg.url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${template}`);
  await admin.end();
  await prepareAppDatabase(databaseUrl(pg.url, template));
  // In the template, so that the cloned databases do not each install pg-boss on their first app start.
  await installJobSchema(databaseUrl(pg.url, template));
  log(`PostgreSQL from ${pg.source}; template ${template}`);

  project.provide('pgAdminUrl', pg.url);
  project.provide('pgTemplate', template);
  project.provide('pgPrefix', prefix);

  return async () => {
    await dropDatabases(pg.url, prefix).catch((e: unknown) => log(`cleanup failed: ${String(e)}`));
    await pg.stop();
  };
}
