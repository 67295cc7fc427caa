import { DataSource } from 'typeorm';
import { seedLevels } from '../levels/seed-levels';
import { dataSourceOptions } from './data-source-options';
import { connectWhenReachable, WaitOptions } from './wait-for-database';

export interface PreparedDatabase {
  migrationsRun: string[];
  levelTiersChanged: number;
}

/** One key for every instance of the service: whoever holds it migrates and seeds, the others wait. */
export const PREPARE_LOCK_KEY = 7_340_912_001;

/**
 * Brings a database to the current schema and seeds the tiers: what start-up, the CLI and the tests
 * share. Runs under a session advisory lock, so instances started together on an empty database
 * take turns (the later ones find nothing left to do); the lock goes with the session if the
 * holder dies. pg-boss's own schema is installed by the app's JobsService under pg-boss's lock.
 */
export async function prepareDatabase(url: string, wait: WaitOptions = {}): Promise<PreparedDatabase> {
  const db = await connectWhenReachable(() => new DataSource(dataSourceOptions(url)).initialize(), wait);
  try {
    return await underPrepareLock(db, async () => {
      const ran = await db.runMigrations({ transaction: 'each' });
      const levelTiersChanged = await seedLevels(db);
      return { migrationsRun: ran.map((m) => m.name), levelTiersChanged };
    });
  } finally {
    await db.destroy();
  }
}

/** Runs `work` holding the lock that migrations and seeding take (start-up and the CLI alike). */
export async function underPrepareLock<T>(db: DataSource, work: () => Promise<T>): Promise<T> {
  const lock = db.createQueryRunner();
  try {
    await lock.connect();
    await lock.query('SELECT pg_advisory_lock($1)', [PREPARE_LOCK_KEY]);
    const result = await work();
    await lock.query('SELECT pg_advisory_unlock($1)', [PREPARE_LOCK_KEY]);
    return result;
  } finally {
    await lock.release();
  }
}
