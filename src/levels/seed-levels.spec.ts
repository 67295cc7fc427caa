import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataSourceOptions } from '../database/data-source-options';
import { levelTiers } from './level-tiers';
import { seedLevels } from './seed-levels';

describe('seedLevels', () => {
  let db: DataSource;
  beforeAll(async () => {
    db = await new DataSource(dataSourceOptions(process.env.DATABASE_URL!)).initialize();
  });
  afterAll(() => db?.destroy());

  async function userWithTotal(total: number, level: number): Promise<string> {
    const [row] = await db.query(
      `INSERT INTO users (email, name, points_total, level) VALUES ($1, 'L', $2, $3) RETURNING id`,
      [`l-${Math.random()}@example.com`, total, level],
    );
    return row.id;
  }
  const levelOf = async (id: string) => (await db.query(`SELECT level FROM users WHERE id = $1`, [id]))[0].level;

  it('moves users to the tier their total reaches when thresholds change, and back', async () => {
    const silver = await userWithTotal(600, 2);
    const negative = await userWithTotal(-50, 1);
    const cheaper = levelTiers().map((t) => (t.level === 3 ? { ...t, minPoints: 550 } : t));
    await seedLevels(db, cheaper);
    expect(await levelOf(silver)).toBe(3);
    expect(await levelOf(negative)).toBe(1);
    await seedLevels(db);
    expect(await levelOf(silver)).toBe(2);
    const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM level_configs`);
    expect(n).toBe(levelTiers().length);
  });

  it('writes nothing when the tiers did not change', async () => {
    await seedLevels(db);
    const before = await db.query(`SELECT level, xmin::text AS version FROM level_configs ORDER BY level`);
    expect(await seedLevels(db)).toBe(0);
    expect(await db.query(`SELECT level, xmin::text AS version FROM level_configs ORDER BY level`)).toEqual(before);
  });
});
