import { Client } from 'pg';

/** One key for every instance: whoever holds it sets up pg-boss's queues, the others wait their turn. */
const JOB_SETUP_LOCK_KEY = 7_340_912_002;

/**
 * Runs `work` holding a session advisory lock on a connection of its own. pg-boss 10 creates each
 * queue's partition with DDL on the shared job table: instances doing it at the same moment
 * deadlock, so they take turns (the later ones find the queues there). The lock goes with the
 * session if the holder dies.
 */
export async function underJobSetupLock<T>(url: string | undefined, work: () => Promise<T>): Promise<T> {
  const lock = new Client({ connectionString: url, application_name: 'referral-points-job-setup' });
  lock.on('error', () => undefined);
  await lock.connect();
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [JOB_SETUP_LOCK_KEY]);
    return await work();
  } finally {
    await lock.end().catch(() => undefined);
  }
}
