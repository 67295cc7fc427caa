import { PreparedDatabase, prepareDatabase } from './database/prepare-database';
import { WaitOptions } from './database/wait-for-database';
import { seedAppLevels } from './seed-app-levels';

/** The migrations, then the level tiers from the repo: what start-up, the tests and the benchmark share. */
export function prepareAppDatabase(url: string, wait: WaitOptions = {}): Promise<PreparedDatabase<'levelTiersChanged'>> {
  return prepareDatabase(url, { wait, seeds: { levelTiersChanged: seedAppLevels } });
}
