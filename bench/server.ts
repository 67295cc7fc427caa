import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { AddressInfo } from 'node:net';
import { NestExpressApplication } from '@nestjs/platform-express';
import { createLogger } from '../src/common/logging/logger';
import { configureApp } from '../src/configure-app';
import { AppConfig } from '../src/config/app-config';
import { APP_CONFIG } from '../src/config/config.module';
import { BenchAppModule } from './bench-app.module';

const isClickRecording = (m: unknown): m is { clickRecording: boolean } =>
  typeof m === 'object' && m !== null && typeof (m as { clickRecording?: unknown }).clickRecording === 'boolean';

/**
 * The app under HTTP load, in its own process so the load generator does not share its event
 * loop. Started by server-process.ts with the bench environment; reports its port over IPC.
 */
async function main(): Promise<void> {
  const app = await NestFactory.create<NestExpressApplication>(BenchAppModule, { logger: false, rawBody: true });
  configureApp(app, createLogger(process.env.LOG_LEVEL ?? 'info'));
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as AddressInfo;
  process.send?.({ port: address.port });
  process.on('message', (message: unknown) => {
    if (message === 'stop') void app.close().finally(() => process.exit(0));
    if (isClickRecording(message)) {
      // Scenario 5 measures recording on and off in one process, so the two never differ in anything else.
      app.get<AppConfig>(APP_CONFIG).clickRecording = message.clickRecording;
      process.send?.({ ack: 'clickRecording' });
    }
  });
  process.on('disconnect', () => void app.close().finally(() => process.exit(0)));
}

main().catch((error: unknown) => {
  process.stderr.write(`bench server failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
