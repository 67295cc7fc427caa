import { INestApplication } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import cookieParser from 'cookie-parser';
import { Logger } from 'pino';
import { requestLogging } from './common/logging/request-logging';
import { parseTrustProxy } from './common/http/trust-proxy';
import { AppConfig } from './config/app-config';
import { APP_CONFIG } from './config/config.module';
import { httpMetrics } from './metrics/http-metrics.middleware';
import { ClusterIoAdapter } from './notifications/socket-adapter';

/** What main.ts and the e2e tests both apply on top of AppModule. */
export function configureApp(app: INestApplication, logger: Logger): void {
  const express = app as NestExpressApplication;
  const config = app.get<AppConfig>(APP_CONFIG);
  express.set('trust proxy', parseTrustProxy(config.trustProxy));
  express.disable('x-powered-by');
  express.use(httpMetrics());
  express.use(requestLogging(logger));
  express.use(cookieParser());
  express.useBodyParser('json', { limit: '100kb' });
  app.useWebSocketAdapter(new ClusterIoAdapter(app, { databaseUrl: config.databaseUrl, redisUrl: config.redisUrl }));
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Referral and loyalty points')
      .setDescription('Referral codes and short links, attribution, the points ledger, levels and rewards. See API.md.')
      .setVersion('1.0')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
}
