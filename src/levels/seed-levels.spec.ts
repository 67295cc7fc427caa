import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { dataSourceOptions } from '../database/data-source-options';
import { recalcLevels } from '../points/level-recalc';
import { levelTiers } from './level-tiers';
import { seedLevels } from './seed-levels';

// The real re-levelling, watched: the seed leaves point_balances to the points module.
const relevel = vi.fn(recalcLevels);
const seed = (db: DataSource, tiers?: ReturnType<typeof levelTiers>) => seedLevels(db, { tiers, tiersChanged: relevel });

describe('seedLevels', () => {
  let db: DataSource;
  beforeAll(async () => {
    db = await new DataSource(dataSourceOptions(process.env.DATABASE_URL!)).initialize();
  });
  afterAll(() => db?.destroy());
  beforeEach(() => {
    relevel.mockClear();
  });

  async function userWithTotal(total: number, level: number): Promise<string> {
    const [row] = await db.query(`INSERT INTO users (email, name) VALUES ($1, 'L') RETURNING id`, [`l-${Math.random()}@example.com`]);
    await db.query(`INSERT INTO point_balances (user_id, total, level) VALUES ($1, $2, $3)`, [row.id, total, level]);
    return row.id;
  }
  const levelOf = async (id: string) => (await db.query(`SELECT level FROM point_balances WHERE user_id = $1`, [id]))[0].level;

  it('moves users to the tier their total reaches when thresholds change, and back', async () => {
    const silver = await userWithTotal(600, 2);
    const negative = await userWithTotal(-50, 1);
    const cheaper = levelTiers().map((t) => (t.level === 3 ? { ...t, minPoints: 550 } : t));
    await seed(db, cheaper);
    expect(await levelOf(silver)).toBe(3);
    expect(await levelOf(negative)).toBe(1);
    await seed(db);
    expect(await levelOf(silver)).toBe(2);
    const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM level_configs`);
    expect(n).toBe(levelTiers().length);
  });

  it('re-levels through the points module, only when tiers changed', async () => {
    const silver = await userWithTotal(600, 2);
    const [{ seq }] = await db.query(`SELECT seq::int AS seq FROM point_balances WHERE user_id = $1`, [silver]);
    await seed(db, levelTiers().map((t) => (t.level === 3 ? { ...t, minPoints: 600 } : t)));
    expect(relevel).toHaveBeenCalledTimes(1);
    expect(await levelOf(silver)).toBe(3);
    // A re-levelling moves no balance: points-updated's seq stays.
    expect((await db.query(`SELECT seq::int AS seq FROM point_balances WHERE user_id = $1`, [silver]))[0].seq).toBe(seq);
    await seed(db);
    expect(relevel).toHaveBeenCalledTimes(2);
    await seed(db);
    expect(relevel).toHaveBeenCalledTimes(2);
    expect(readFileSync(join(__dirname, 'seed-levels.ts'), 'utf8')).not.toMatch(/point_balances|\busers\b|points\//);
  });

  it('writes nothing when the tiers did not change', async () => {
    await seed(db);
    const before = await db.query(`SELECT level, xmin::text AS version FROM level_configs ORDER BY level`);
    expect(await seed(db)).toBe(0);
    expect(await db.query(`SELECT level, xmin::text AS version FROM level_configs ORDER BY level`)).toEqual(before);
  });
});
