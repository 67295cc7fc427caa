import PgBoss from 'pg-boss';
import { carryOverNewerJobSchema } from './carry-over-newer-job-schema';
import { JOBS_SCHEMA } from './jobs.service';

/** Creates or migrates pg-boss's schema (carrying a newer pg-boss's jobs over), so instances (and cloned test databases) start ready. */
export async function installJobSchema(url: string): Promise<void> {
  await carryOverNewerJobSchema(url, JOBS_SCHEMA);
  const boss = new PgBoss({ connectionString: url, schema: JOBS_SCHEMA, supervise: false, schedule: false, max: 1 });
  boss.on('error', () => undefined);
  await boss.start();
  await boss.stop({ graceful: false, wait: true, timeout: 1_000 });
}
