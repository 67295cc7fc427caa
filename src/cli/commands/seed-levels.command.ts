import { seedAppLevels } from '../../seed-app-levels';
import { underPrepareLock } from '../../database/prepare-database';
import { CliCommand } from '../cli-command';

export const seedLevelsCommand: CliCommand = {
  name: 'seed:levels',
  usage: 'seed:levels',
  description: 'Upsert the level tiers from src/levels/level-tiers.json (idempotent)',
  async run({ dataSource }, _args, out) {
    const changed = await underPrepareLock(dataSource, () => seedAppLevels(dataSource));
    out(changed ? `level tiers seeded: ${changed} changed` : 'level tiers already up to date');
    return 0;
  },
};
