import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module';
import { createLogger } from './common/logging/logger';
import { PinoLoggerService } from './common/logging/pino-logger.service';
import { loadAppConfig } from './config/app-config';
import { ConfigurationError } from './config/environment';
import { configureApp } from './configure-app';
import { EmbeddedDatabase, startEmbeddedDatabase } from './database/embedded-database';
import { prepareDatabase } from './database/prepare-database';

async function bootstrap(): Promise<void> {
  let config;
  try {
    config = loadAppConfig();
  } catch (error) {
    if (error instanceof ConfigurationError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  // Built from the validated configuration, so a bad LOG_LEVEL is reported like any other variable.
  const logger = createLogger(config.logLevel);

  let embedded: EmbeddedDatabase | undefined;
  if (!config.databaseUrl) {
    logger.info({ dataDir: config.dataDir }, 'DATABASE_URL is not set: starting the embedded PostgreSQL');
    embedded = await startEmbeddedDatabase({ dataDir: config.dataDir, onLog: (m) => logger.debug({ postgres: String(m) }) });
    process.env.DATABASE_URL = embedded.url;
  }
  const databaseUrl = process.env.DATABASE_URL!;
  const prepared = await prepareDatabase(databaseUrl);
  logger.info(prepared, 'database ready');

  const app = await NestFactory.create<NestExpressApplication>(AppModule, {
    logger: new PinoLoggerService(logger),
    rawBody: true,
  });
  configureApp(app, logger);

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    logger.info({ signal }, 'shutting down');
    try {
      await app.close();
      await embedded?.stop();
    } finally {
      process.exit(0);
    }
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));

  await app.listen(config.port);
  const base = `http://localhost:${config.port}`;
  process.stdout.write(
    [
      `Referral points service listening on ${base}`,
      `  API:       ${base}/api`,
      `  Docs:      ${base}/docs`,
      `  Dashboard: ${config.frontendUrl}/dashboard/account/points`,
      `  Database:  ${embedded ? `embedded PostgreSQL in ${config.dataDir}` : 'DATABASE_URL'}`,
      '',
    ].join('\n'),
  );
}

bootstrap().catch((error: unknown) => {
  process.stderr.write(`start-up failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
