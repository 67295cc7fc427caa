import { CliCommand } from '../cli-command';
import { ledgerVerifyCommand } from './ledger-verify.command';
import { migrationRevert, migrationRun } from './migration.commands';
import { seedLevelsCommand } from './seed-levels.command';
import { usersDemoteCommand } from './users-demote.command';
import { usersPromoteCommand } from './users-promote.command';

export const commands: CliCommand[] = [migrationRun, migrationRevert, seedLevelsCommand, usersPromoteCommand, usersDemoteCommand, ledgerVerifyCommand];
