import { INestApplication } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import cookieParser from 'cookie-parser';
import { Logger } from 'pino';
import { inputScreen } from './common/http/input-screen.middleware';
import { jsonOnly } from './common/http/json-only.middleware';
import { requestLogging } from './common/logging/request-logging';
import { parseTrustProxy } from './common/http/trust-proxy';
import { AppConfig } from './config/app-config';
import { APP_CONFIG } from './config/config.module';
import { httpMetrics } from './metrics/http-metrics.middleware';
import { ClusterIoAdapter } from './notifications/socket-adapter';
import { setupOpenApi } from './openapi/openapi-document';

/** What main.ts and the e2e tests both apply on top of AppModule. */
export function configureApp(app: INestApplication, logger: Logger): void {
  const express = app as NestExpressApplication;
  const config = app.get<AppConfig>(APP_CONFIG);
  express.set('trust proxy', parseTrustProxy(config.trustProxy));
  express.disable('x-powered-by');
  express.use(httpMetrics());
  express.use(requestLogging(logger));
  express.use(jsonOnly);
  express.use(cookieParser());
  express.useBodyParser('json', { limit: '100kb' });
  express.use(inputScreen);
  app.useWebSocketAdapter(new ClusterIoAdapter(app, { databaseUrl: config.databaseUrl, redisUrl: config.redisUrl }));
  setupOpenApi(app);
}
