import { underPrepareLock } from '../../database/prepare-database';
import { CliCommand } from '../cli-command';

export const migrationRun: CliCommand = {
  name: 'migration:run',
  usage: 'migration:run',
  description: 'Apply every pending migration',
  async run({ dataSource }, _args, out) {
    const ran = await underPrepareLock(dataSource, () => dataSource.runMigrations({ transaction: 'each' }));
    out(ran.length ? ran.map((m) => `applied ${m.name}`).join('\n') : 'no pending migrations');
    return 0;
  },
};

export const migrationRevert: CliCommand = {
  name: 'migration:revert',
  usage: 'migration:revert [--all]',
  description: 'Revert the last migration, or every one with --all',
  async run({ dataSource }, args, out) {
    const all = args.includes('--all');
    let reverted = 0;
    await underPrepareLock(dataSource, async () => {
      do {
        const applied = await dataSource.query(`SELECT count(*)::int AS n FROM typeorm_migrations`).catch(() => [{ n: 0 }]);
        if (applied[0].n === 0) break;
        await dataSource.undoLastMigration({ transaction: 'each' });
        reverted++;
      } while (all);
    });
    out(reverted ? `reverted ${reverted} migration(s)` : 'nothing to revert');
    return 0;
  },
};
