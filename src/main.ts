import 'reflect-metadata';
import type { Server } from 'node:http';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import type { Logger } from 'pino';
import { AppModule } from './app.module';
import { createLogger } from './common/logging/logger';
import { PinoLoggerService } from './common/logging/pino-logger.service';
import { AppConfig, loadAppConfig } from './config/app-config';
import { ConfigurationError } from './config/environment';
import { configureApp } from './configure-app';
import { EmbeddedDatabase, startEmbeddedDatabase } from './database/embedded-database';
import { prepareAppDatabase } from './prepare-app-database';
import { RequestDrain, trackRequests } from './lifecycle/request-drain';
import { describeStartupFailure } from './lifecycle/startup-failure';

/** How long start-up keeps trying an unreachable database before it gives up (an orchestrator restarts it). */
const DATABASE_WAIT_MS = 120_000;
/** In-flight requests get this long to finish once a stop is asked for. */
const DRAIN_MS = 3_000;
/** Whatever is still running then is cut off: orchestrators kill at 10 s. */
const SHUTDOWN_DEADLINE_MS = 9_500;

let logger: Logger | undefined;
let config: AppConfig | undefined;
let embedded: EmbeddedDatabase | undefined;
let app: NestExpressApplication | undefined;
let requests: RequestDrain | undefined;
let stopping = false;

async function bootstrap(): Promise<void> {
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
  logger = createLogger(config.logLevel);
  const log = logger;
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));

  if (!config.databaseUrl) {
    log.info({ dataDir: config.dataDir }, 'DATABASE_URL is not set: starting the embedded PostgreSQL');
    embedded = await startEmbeddedDatabase({ dataDir: config.dataDir, onLog: (m) => log.debug({ postgres: m.trim() }) });
    if (!embedded.clusterDir.startsWith(config.dataDir)) {
      log.info({ clusterDir: embedded.clusterDir }, 'the postgres user cannot enter DATA_DIR: the embedded cluster lives here instead');
    }
    process.env.DATABASE_URL = embedded.url;
  }
  const prepared = await prepareAppDatabase(process.env.DATABASE_URL!, {
    waitMs: DATABASE_WAIT_MS,
    onRetry: (attempt, error, nextInMs) =>
      log.warn({ attempt, reason: error instanceof Error ? error.message : String(error) }, `database not reachable; trying again in ${nextInMs / 1000} s`),
  });
  log.info(prepared, 'database ready');
  if (stopping) return;

  app = await NestFactory.create<NestExpressApplication>(AppModule, {
    logger: new PinoLoggerService(log),
    rawBody: true,
  });
  configureApp(app, log);
  requests = trackRequests(app.getHttpServer() as Server);
  await app.listen(config.port);
  const base = `http://localhost:${config.port}`;
  process.stdout.write(
    [
      `Referral points service listening on ${base}`,
      `  API:       ${base}/api`,
      `  Docs:      ${base}/docs`,
      `  Dashboard: ${config.frontendUrl}/dashboard/account/points`,
      `  Database:  ${embedded ? `embedded PostgreSQL in ${embedded.clusterDir}` : 'DATABASE_URL'}`,
      '',
    ].join('\n'),
  );
}

/**
 * Stops in dependency order: HTTP (drained), then the app (pg-boss workers before the socket
 * adapter, so their last commits are announced; pools last), then the embedded database.
 */
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  const deadline = setTimeout(() => {
    logger?.error({ signal }, `shutdown did not finish within ${SHUTDOWN_DEADLINE_MS / 1000} s: exiting now`);
    process.exit(1);
  }, SHUTDOWN_DEADLINE_MS);
  deadline.unref();
  logger?.info({ signal }, 'shutting down');
  try {
    await requests?.drain(DRAIN_MS);
    await app?.close();
    await embedded?.stop();
    logger?.info('stopped');
    process.exit(0);
  } catch (error) {
    logger?.error({ err: error }, 'shutdown failed');
    process.exit(1);
  }
}

bootstrap().catch(async (error: unknown) => {
  const sentence = describeStartupFailure(error, { port: config?.port ?? 3000, embedded: !config?.databaseUrl });
  process.stderr.write(`${sentence}\n`);
  await app?.close().catch(() => undefined);
  await embedded?.stop().catch(() => undefined);
  process.exit(1);
});
