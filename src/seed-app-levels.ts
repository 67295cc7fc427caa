import { DataSource, EntityManager } from 'typeorm';
import { LevelTier } from './levels/level-tiers';
import { seedLevels } from './levels/seed-levels';
import { recalcLevels } from './points/level-recalc';

/** The repo's level tiers, with points re-levelling its balances when they changed: start-up and `cli seed:levels`. */
export function seedAppLevels(db: DataSource | EntityManager, tiers?: LevelTier[]): Promise<number> {
  return seedLevels(db, { tiers, tiersChanged: recalcLevels });
}
