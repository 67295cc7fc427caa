import { CliDatabase } from './cli-database';

export interface CliCommand {
  name: string;
  usage: string;
  description: string;
  /** Returns the process exit code; throws a CliError for a clear failure message. */
  run(db: CliDatabase, args: string[], out: (line: string) => void): Promise<number>;
}

export class CliError extends Error {}
