import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreatePointLots1763900600000 } from '../migrations/1763900600000-CreatePointLots';
import { migrations } from '../src/database/migrations';
import { checkLedger } from '../src/points/ledger-check';
import { scratchDatabase } from './utils/scratch-database';

/** Balances from before lots existed become one never-expiring lot each, so ledger:verify holds for every user at once. */
describe('migrations: point_lots backfill', () => {
  const scratch = scratchDatabase('lots');
  const before = migrations.indexOf(CreatePointLots1763900600000);
  let db: DataSource;

  beforeAll(async () => {
    await scratch.create();
    db = await scratch.migrated(migrations.slice(0, before));
  });
  afterAll(async () => {
    await db?.destroy();
    await scratch.drop();
  });

  it('opens a never-expiring lot of each available balance, and reverts', async () => {
    const user = async (n: string) => (await db.query(`INSERT INTO users (email, name) VALUES ($1, $1) RETURNING id`, [`${n}@example.com`]))[0].id as string;
    const [rich, empty, indebted] = [await user('rich'), await user('empty'), await user('indebted')];
    const entry = (userId: string, type: string, amount: number, balanceAfter: number) =>
      db.query(`INSERT INTO point_transactions (user_id, type, amount, source, balance_after, idempotency_key) VALUES ($1, $2, $3, 'admin', $4, gen_random_uuid()::text)`, [
        userId,
        type,
        amount,
        balanceAfter,
      ]);
    await entry(rich, 'earn', 300, 300);
    await entry(rich, 'spend', -120, 180);
    await entry(indebted, 'earn', 50, 50);
    await entry(indebted, 'clawback', -80, 0);
    await db.query(
      `INSERT INTO point_balances (user_id, total, available, debt, level) VALUES ($1, 300, 180, 0, points_level(300)), ($2, -30, 0, 30, points_level(-30))`,
      [rich, indebted],
    );

    await db.destroy();
    db = await scratch.migrated(migrations);
    const lots = await db.query(`SELECT user_id, entry_id, amount::int, remaining::int, expires_at FROM point_lots ORDER BY user_id`);
    expect(lots).toEqual([{ user_id: rich, entry_id: null, amount: 180, remaining: 180, expires_at: null }]);
    expect(lots.some((l: { user_id: string }) => l.user_id === empty)).toBe(false);
    expect(await checkLedger(db)).toEqual([]);

    await db.query(`INSERT INTO point_transactions (user_id, type, amount, source, balance_after) VALUES ($1, 'expire', -1, 'system', 0)`, [empty]);
    // The later migrations first, then point_lots'.
    for (let i = migrations.length; i > before; i--) await db.undoLastMigration();
    expect((await db.query(`SELECT to_regclass('point_lots') AS t`))[0].t).toBeNull();
    expect((await db.query(`SELECT source FROM point_transactions WHERE user_id = $1`, [empty]))[0].source).toBe('admin');
  });
});
