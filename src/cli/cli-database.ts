import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { dataSourceOptions } from '../database/data-source-options';
import { startEmbeddedDatabase } from '../database/embedded-database';
import { cliEntities } from './cli-entities';

export interface CliDatabase {
  url: string;
  dataSource: DataSource;
  close(): Promise<void>;
}

/**
 * DATABASE_URL when set; otherwise the embedded database under DATA_DIR, joined if
 * the service already runs it or started for this command (and stopped after it).
 */
export async function openCliDatabase(config: AppConfig): Promise<CliDatabase> {
  let url = config.databaseUrl;
  let stop = async () => undefined as void;
  if (!url) {
    const embedded = await startEmbeddedDatabase({ dataDir: config.dataDir });
    url = embedded.url;
    stop = embedded.stop;
  }
  const dataSource = await new DataSource(dataSourceOptions(url, cliEntities)).initialize().catch(async (error: unknown) => {
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
