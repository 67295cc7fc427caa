import 'reflect-metadata';
import { loadAppConfig } from '../config/app-config';
import { openCliDatabase } from './cli-database';
import { commands } from './commands';

const out = (line: string) => process.stdout.write(`${line}\n`);
const fail = (message: string, code = 1) => {
  process.stderr.write(`error: ${message}\n`);
  process.exitCode = code;
};

function help(): void {
  out('usage: npm run cli -- <command> [args]\n');
  for (const c of commands) out(`  ${c.usage.padEnd(32)} ${c.description}`);
}

async function main(argv: string[]): Promise<void> {
  const [name, ...args] = argv;
  if (!name || name === '--help' || name === 'help') return help();
  const command = commands.find((c) => c.name === name);
  if (!command) {
    help();
    return fail(`unknown command "${name}"`, 2);
  }
  const config = loadAppConfig();
  const db = await openCliDatabase(config);
  try {
    process.exitCode = await command.run(db, args, out);
  } finally {
    await db.close();
  }
}

main(process.argv.slice(2))
  .catch((error: unknown) => {
    fail(error instanceof Error ? error.message : String(error));
  })
  .finally(() => process.exit(process.exitCode ?? 0));
