import { CliCommand } from '../cli-command';
import { migrationRevert, migrationRun } from './migration.commands';
import { seedLevelsCommand } from './seed-levels.command';

export const commands: CliCommand[] = [migrationRun, migrationRevert, seedLevelsCommand];
