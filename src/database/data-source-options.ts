import { DataSourceOptions } from 'typeorm';
import { GuardedClient } from './guarded-client';
import { migrations } from './migrations';

/**
 * `entities`: for a DataSource built outside Nest (the CLI) that uses them; in the app each module
 * registers its own (`TypeOrmModule.forFeature`, loaded by `autoLoadEntities`).
 */
export function dataSourceOptions(url: string, entities: NonNullable<DataSourceOptions['entities']> = []): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities,
    migrations,
    migrationsTableName: 'typeorm_migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    logging: false,
    // While the database is away a request waits at most connectionTimeoutMillis for a connection
    // and then answers 503, instead of queueing until the client gives up. keepAlive finds
    // connections a proxy or failover dropped silently.
    extra: { Client: GuardedClient, max: 20, application_name: 'referral-points', connectionTimeoutMillis: 5_000, keepAlive: true },
  };
}
