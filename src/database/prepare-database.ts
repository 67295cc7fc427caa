import { DataSource } from 'typeorm';
import { installJobSchema } from '../jobs/install-job-schema';
import { seedLevels } from '../levels/seed-levels';
import { dataSourceOptions } from './data-source-options';

export interface PreparedDatabase {
  migrationsRun: string[];
  levelsSeeded: number;
}

/** Brings a database to the current schema and seeds the tiers: what start-up, the CLI and the tests share. */
export async function prepareDatabase(url: string): Promise<PreparedDatabase> {
  const db = await new DataSource(dataSourceOptions(url)).initialize();
  try {
    const ran = await db.runMigrations({ transaction: 'each' });
    const levelsSeeded = await seedLevels(db);
    await installJobSchema(url);
    return { migrationsRun: ran.map((m) => m.name), levelsSeeded };
  } finally {
    await db.destroy();
  }
}
