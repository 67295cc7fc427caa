import { DataSource, EntityManager } from 'typeorm';
import { runSerializable } from '../database/serializable';
import { LevelTier, levelTiers } from './level-tiers';

export interface SeedLevelsOptions {
  /** Runs in the same transaction when tiers changed: the owner of the balances re-levels them (`level = points_level(total)`). */
  tiersChanged: (m: EntityManager) => Promise<unknown>;
  tiers?: LevelTier[];
}

/**
 * Upserts the repo's tiers and drops any the file no longer lists; running it twice changes nothing.
 * Returns how many tiers changed: start-up runs it on every boot, and when nothing changed it
 * writes no row and leaves the balances alone.
 */
export async function seedLevels(db: DataSource | EntityManager, { tiersChanged, tiers = levelTiers() }: SeedLevelsOptions): Promise<number> {
  const run = async (m: EntityManager) => {
    // Tiers may swap thresholds between runs; uniqueness is checked once all rows are in place.
    await m.query(`SET CONSTRAINTS level_configs_min_points_key DEFERRED`);
    const [deleted] = await m.query(`DELETE FROM level_configs WHERE NOT (level = ANY($1::int[])) RETURNING level`, [
      tiers.map((t) => t.level),
    ]);
    const written: unknown[] = await m.query(
      `INSERT INTO level_configs (level, name, min_points, perks)
       SELECT * FROM jsonb_to_recordset($1::jsonb) AS t(level int, name varchar, "minPoints" bigint, perks jsonb)
       ON CONFLICT (level) DO UPDATE SET name = EXCLUDED.name, min_points = EXCLUDED.min_points, perks = EXCLUDED.perks
       WHERE (level_configs.name, level_configs.min_points, level_configs.perks)
             IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.min_points, EXCLUDED.perks)
       RETURNING level`,
      [JSON.stringify(tiers)],
    );
    await m.query(`SET CONSTRAINTS level_configs_min_points_key IMMEDIATE`);
    const changed = (Array.isArray(deleted) ? deleted.length : 0) + written.length;
    if (changed > 0) await tiersChanged(m);
    return changed;
  };
  // SERIALIZABLE like the ledger statements that read level_configs: a write racing the re-levelling is retried, not left on an old tier.
  return db instanceof DataSource ? runSerializable(db, run) : run(db);
}
