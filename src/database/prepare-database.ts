import { DataSource } from 'typeorm';
import { dataSourceOptions } from './data-source-options';
import { connectWhenReachable, WaitOptions } from './wait-for-database';

/** What a module puts in the database after the migrations (e.g. the level tiers), each by name: how many rows it changed. */
export type DatabaseSeeds<K extends string> = Record<K, (db: DataSource) => Promise<number>>;

export type PreparedDatabase<K extends string = never> = { migrationsRun: string[] } & Record<K, number>;

/** One key for every instance of the service: whoever holds it migrates and seeds, the others wait. */
export const PREPARE_LOCK_KEY = 7_340_912_001;

/**
 * Brings a database to the current schema and runs the seeds the caller composes (database/ knows
 * no module: see prepare-app-database.ts). Runs under a session advisory lock, so instances started together on an empty database
 * take turns (the later ones find nothing left to do); the lock goes with the session if the
 * holder dies. pg-boss's own schema is installed (a newer pg-boss's carried over) by the app's JobsService under pg-boss's lock.
 */
export async function prepareDatabase<K extends string = never>(
  url: string,
  options: { wait?: WaitOptions; seeds?: DatabaseSeeds<K> } = {},
): Promise<PreparedDatabase<K>> {
  const { wait = {}, seeds = {} as DatabaseSeeds<K> } = options;
  const db = await connectWhenReachable(() => new DataSource(dataSourceOptions(url)).initialize(), wait);
  try {
    return await underPrepareLock(db, async () => {
      const ran = await db.runMigrations({ transaction: 'each' });
      const seeded = {} as Record<K, number>;
      for (const [name, seed] of Object.entries(seeds) as Array<[K, (db: DataSource) => Promise<number>]>) seeded[name] = await seed(db);
      return { migrationsRun: ran.map((m) => m.name), ...seeded };
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
