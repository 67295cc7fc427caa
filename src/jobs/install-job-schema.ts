import { PgBoss } from 'pg-boss';
import { JOBS_SCHEMA } from './jobs.service';

/** Creates or migrates pg-boss's schema, so instances (and cloned test databases) start ready. */
export async function installJobSchema(url: string): Promise<void> {
  const boss = new PgBoss({ connectionString: url, schema: JOBS_SCHEMA, supervise: false, schedule: false, max: 1 });
  boss.on('error', () => undefined);
  await boss.start();
  await boss.stop({ graceful: false, timeout: 1_000 });
}
