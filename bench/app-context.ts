import 'reflect-metadata';
import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../src/app.module';

/** The real AppModule without an HTTP server, for driving services in-process. */
export async function startAppContext(env: Record<string, string>): Promise<INestApplicationContext> {
  Object.assign(process.env, env);
  const context = await NestFactory.createApplicationContext(AppModule, { logger: false });
  return context;
}
