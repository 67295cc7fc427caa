import { DataSource } from 'typeorm';
import { seedLevels } from '../levels/seed-levels';
import { dataSourceOptions } from './data-source-options';

export interface PreparedDatabase {
  migrationsRun: string[];
  levelTiersChanged: number;
}

/**
 * Brings a database to the current schema and seeds the tiers: what start-up, the CLI and the tests
 * share. pg-boss's own schema is installed by the app's JobsService when it starts.
 */
export async function prepareDatabase(url: string): Promise<PreparedDatabase> {
  const db = await new DataSource(dataSourceOptions(url)).initialize();
  try {
    const ran = await db.runMigrations({ transaction: 'each' });
    const levelTiersChanged = await seedLevels(db);
    return { migrationsRun: ran.map((m) => m.name), levelTiersChanged };
  } finally {
    await db.destroy();
  }
}
