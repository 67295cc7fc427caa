import { EntityManager } from 'typeorm';

/**
 * Sets every balance's level to points_level(total) after the tiers changed (levels calls this
 * after a seed: point_balances is written only here, in points). Touches only rows that change,
 * and emits no level-up: a changed tier table is an administrative change, not a crossing. The
 * seq trigger does not fire: no balance moved.
 */
export async function recalcLevels(m: EntityManager): Promise<number> {
  const [, moved] = await m.query(
    `UPDATE point_balances SET level = points_level(total), updated_at = now() WHERE level <> points_level(total)`,
  );
  return Number(moved);
}
