import { DynamicModule, INestApplication, Type } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import { Test, TestingModuleBuilder } from '@nestjs/testing';
import TestAgent from 'supertest/lib/agent';
import { AppModule } from '../../src/app.module';
import { createLogger } from '../../src/common/logging/logger';
import { configureApp } from '../../src/configure-app';
import { openApiAgent } from './openapi-agent';
import { OpenApiValidator } from './openapi-validator';

export interface TestApp {
  app: INestApplication;
  /** The listening base URL, for socket.io-client and other real clients. */
  url: string;
  /** Every response it receives is checked against the served OpenAPI document (a mismatch fails the test). */
  http: TestAgent;
  openapi: OpenApiValidator;
  close(): Promise<void>;
}

/** The real AppModule on the file's own database, listening on a free port. */
export async function createTestApp(
  options: {
    imports?: Array<Type | DynamicModule>;
    customize?: (builder: TestingModuleBuilder) => TestingModuleBuilder;
    /** A port chosen beforehand, when the app must know its own URL (PUBLIC_URL); default any free port. */
    port?: number;
  } = {},
): Promise<TestApp> {
  const customize = options.customize ?? ((b) => b);
  const moduleRef = await customize(Test.createTestingModule({ imports: [AppModule, ...(options.imports ?? [])] })).compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>({ rawBody: true, logger: false });
  configureApp(app, createLogger(process.env.LOG_LEVEL ?? 'silent'));
  await app.listen(options.port ?? 0, '127.0.0.1');
  const url = await app.getUrl();
  const { http, openapi } = await openApiAgent(app.getHttpServer());
  return {
    app,
    url,
    http,
    openapi,
    close: () => app.close(),
  };
}
