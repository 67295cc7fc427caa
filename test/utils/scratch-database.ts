import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { inject } from 'vitest';
import { databaseUrl } from '../../src/database/embedded-database';
import { migrations } from '../../src/database/migrations';

type Migrations = typeof migrations;

/** A database of the test's own for migration tests, migrated to whichever prefix of the list a step needs. */
export function scratchDatabase(label: string) {
  const name = `${inject('pgPrefix')}${label}_${Date.now()}`;
  const admin = new Client({ connectionString: inject('pgAdminUrl') });
  const url = databaseUrl(inject('pgAdminUrl'), name);
  return {
    url,
    async create(): Promise<void> {
      await admin.connect();
      await admin.query(`CREATE DATABASE ${name}`);
    },
    /** A data source that knows `list` (so that it can undo their last), with every one of them run. */
    async migrated(list: Migrations): Promise<DataSource> {
      const db = await new DataSource({ type: 'postgres', url, migrations: list, migrationsTableName: 'typeorm_migrations', migrationsTransactionMode: 'each' }).initialize();
      await db.runMigrations();
      return db;
    },
    async drop(): Promise<void> {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}
