import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { AddLevelWindows1763900700000 } from '../migrations/1763900700000-AddLevelWindows';
import { databaseUrl } from '../src/database/embedded-database';
import { migrations } from '../src/database/migrations';
import { checkLedger } from '../src/points/ledger-check';

/** Existing balances stay on lifetime qualification; reverting puts windowed ones back on their total. */
describe('migrations: level windows', () => {
  const name = `${inject('pgPrefix')}windows_${Date.now()}`;
  const admin = new Client({ connectionString: inject('pgAdminUrl') });
  const url = databaseUrl(inject('pgAdminUrl'), name);
  const at = migrations.indexOf(AddLevelWindows1763900700000);
  const source = (list: typeof migrations) =>
    new DataSource({ type: 'postgres', url, migrations: list, migrationsTableName: 'typeorm_migrations', migrationsTransactionMode: 'each' });
  let db: DataSource;

  beforeAll(async () => {
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    db = await source(migrations.slice(0, at)).initialize();
    await db.runMigrations();
  });
  afterAll(async () => {
    await db?.destroy();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  });

  it('leaves balances on lifetime levels, refuses half a window, and reverts to lifetime levels', async () => {
    await db.query(`INSERT INTO level_configs (level, name, min_points) VALUES (1, 'Bronze', 0), (2, 'Silver', 500), (3, 'Gold', 2000)`);
    const [{ id }] = await db.query(`INSERT INTO users (email, name) VALUES ('w@example.com', 'W') RETURNING id`);
    await db.query(`INSERT INTO point_transactions (user_id, type, amount, source, balance_after, idempotency_key) VALUES ($1, 'earn', 2100, 'admin', 2100, 'k1')`, [id]);
    await db.query(`INSERT INTO point_lots (user_id, amount, remaining) VALUES ($1, 2100, 2100)`, [id]);
    await db.query(`INSERT INTO point_balances (user_id, total, available, level) VALUES ($1, 2100, 2100, points_level(2100))`, [id]);

    await db.destroy();
    db = await source(migrations.slice(0, at + 1)).initialize();
    await db.runMigrations();
    expect(await db.query(`SELECT level, window_from, qualifying FROM point_balances`)).toEqual([{ level: 3, window_from: null, qualifying: null }]);
    expect(await checkLedger(db)).toEqual([]);
    await expect(db.query(`UPDATE point_balances SET window_from = now()`)).rejects.toThrow(/point_balances_window_whole/);

    // A windowed balance whose qualifying points left it a tier lower than its total reaches.
    await db.query(`UPDATE point_balances SET window_from = now(), qualifying = 0, level = 2`);
    await db.undoLastMigration();
    expect(await db.query(`SELECT level FROM point_balances`)).toEqual([{ level: 3 }]);
    expect(await db.query(`SELECT column_name FROM information_schema.columns WHERE table_name = 'point_balances' AND column_name IN ('window_from', 'qualifying')`)).toEqual([]);
  });
});
