import { EntityManager } from 'typeorm';

/**
 * Sets every balance's level to what its points reach after the tiers changed: its total, or under
 * a level window its qualifying points (levels calls this after a seed: point_balances is written
 * only here, in points). Touches only rows that change,
 * and emits no level-up: a changed tier table is an administrative change, not a crossing. The
 * seq trigger does not fire: no balance moved.
 */
export async function recalcLevels(m: EntityManager): Promise<number> {
  const [, moved] = await m.query(
    `UPDATE point_balances SET level = points_level(COALESCE(qualifying, total)), updated_at = now() WHERE level <> points_level(COALESCE(qualifying, total))`,
  );
  return Number(moved);
}
