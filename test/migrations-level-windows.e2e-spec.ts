import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AddLevelWindows1763900700000 } from '../migrations/1763900700000-AddLevelWindows';
import { migrations } from '../src/database/migrations';
import { checkLedger } from '../src/points/ledger-check';
import { scratchDatabase } from './utils/scratch-database';

/** Existing balances stay on lifetime qualification; reverting puts windowed ones back on their total. */
describe('migrations: level windows', () => {
  const scratch = scratchDatabase('windows');
  const at = migrations.indexOf(AddLevelWindows1763900700000);
  let db: DataSource;

  beforeAll(async () => {
    await scratch.create();
    db = await scratch.migrated(migrations.slice(0, at));
  });
  afterAll(async () => {
    await db?.destroy();
    await scratch.drop();
  });

  it('leaves balances on lifetime levels, refuses half a window, and reverts to lifetime levels', async () => {
    await db.query(`INSERT INTO level_configs (level, name, min_points) VALUES (1, 'Bronze', 0), (2, 'Silver', 500), (3, 'Gold', 2000)`);
    const [{ id }] = await db.query(`INSERT INTO users (email, name) VALUES ('w@example.com', 'W') RETURNING id`);
    await db.query(`INSERT INTO point_transactions (user_id, type, amount, source, balance_after, idempotency_key) VALUES ($1, 'earn', 2100, 'admin', 2100, 'k1')`, [id]);
    await db.query(`INSERT INTO point_lots (user_id, amount, remaining) VALUES ($1, 2100, 2100)`, [id]);
    await db.query(`INSERT INTO point_balances (user_id, total, available, level) VALUES ($1, 2100, 2100, points_level(2100))`, [id]);

    await db.destroy();
    db = await scratch.migrated(migrations.slice(0, at + 1));
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
