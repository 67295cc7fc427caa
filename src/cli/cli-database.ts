import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { dataSourceOptions } from '../database/data-source-options';
import { startEmbeddedDatabase } from '../database/embedded-database';

export interface CliDatabase {
  url: string;
  dataSource: DataSource;
  close(): Promise<void>;
}

/**
 * DATABASE_URL when set; otherwise the embedded database under DATA_DIR, joined if
 * the service already runs it (its postmaster.pid names the port) or started for this command.
 */
export async function openCliDatabase(config: AppConfig): Promise<CliDatabase> {
  let url = config.databaseUrl;
  let stop = async () => undefined as void;
  if (!url) {
    const port = runningEmbeddedPort(config.dataDir);
    if (port) {
      url = `postgres://postgres:embedded@127.0.0.1:${port}/postgres`;
    } else {
      const embedded = await startEmbeddedDatabase({ dataDir: config.dataDir });
      url = embedded.url;
      stop = embedded.stop;
    }
  }
  const dataSource = await new DataSource(dataSourceOptions(url)).initialize().catch(async (error: unknown) => {
    await stop();
    throw error;
  });
  return {
    url,
    dataSource,
    close: async () => {
      await dataSource.destroy();
      await stop();
    },
  };
}

function runningEmbeddedPort(dataDir: string): number | undefined {
  const pidFile = join(dataDir, 'postgres', 'postmaster.pid');
  if (!existsSync(pidFile)) return undefined;
  const [pid, , , port] = readFileSync(pidFile, 'utf8').split('\n');
  try {
    process.kill(Number(pid), 0);
  } catch {
    return undefined;
  }
  return Number(port) || undefined;
}
