import { Controller, Module, Post } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppModule } from '../src/app.module';
import { createLogger } from '../src/common/logging/logger';
import { PinoLoggerService } from '../src/common/logging/pino-logger.service';
import { configureApp } from '../src/configure-app';
import { freePort } from '../src/database/embedded-database';
import { DIST } from './utils/run-node';

@Controller('probe')
class FailingSqlController {
  constructor(private readonly db: DataSource) {}

  @Post('sql')
  async sql(): Promise<never> {
    await this.db.query('SELECT 1 / 0');
    throw new Error('unreachable');
  }
}

@Module({ controllers: [FailingSqlController] })
class FailingSqlModule {}

describe('an unexpected error in the log', () => {
  const lines: Array<Record<string, any>> = [];
  let app: NestExpressApplication;

  beforeAll(async () => {
    const logger = createLogger('info', { write: (line: string) => void lines.push(JSON.parse(line)) });
    const moduleRef = await Test.createTestingModule({ imports: [AppModule, FailingSqlModule] }).compile();
    app = moduleRef.createNestApplication<NestExpressApplication>({ rawBody: true, logger: new PinoLoggerService(logger) });
    configureApp(app, logger);
    await app.init();
  });
  afterAll(() => app?.close());

  it('is one line with its message, stack, SQLSTATE and the correlation id the client got', async () => {
    const res = await request(app.getHttpServer()).post('/probe/sql').expect(500);
    expect(res.body).toEqual({ statusCode: 500, code: 'INTERNAL_ERROR', message: 'Internal server error', correlationId: expect.any(String) });
    const withError = lines.filter((l) => l.err !== undefined);
    expect(withError).toHaveLength(1);
    const [line] = withError;
    expect(line).toMatchObject({ level: 'error', msg: 'unexpected error', context: 'ExceptionFilter', correlationId: res.body.correlationId, path: '/probe/sql' });
    expect(line.err).toMatchObject({ type: 'QueryFailedError', message: 'division by zero', code: '22012' });
    expect(line.err.stack).toMatch(/QueryFailedError: division by zero\n\s+at /);
    expect(line.err.parameters).toBeUndefined();
    expect(JSON.stringify(lines)).not.toContain('[object Object]');
  });
});

describe('the log of the running service', () => {
  let child: ChildProcess;
  let stdout = '';
  let port: number;

  beforeAll(async () => {
    port = await freePort();
    const env = {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'test',
      DATABASE_URL: process.env.DATABASE_URL!,
      JWT_SECRET: process.env.JWT_SECRET!,
      PORT: String(port),
      LOG_LEVEL: 'info',
      RATE_LIMIT_SCALE: '1000',
    };
    child = spawn(process.execPath, [join(DIST, 'main.js')], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.on('data', (chunk) => (stdout += chunk));
    child.stderr!.on('data', (chunk) => (stdout += chunk));
    const end = Date.now() + 60_000;
    while (!stdout.includes('listening on')) {
      if (Date.now() > end || child.exitCode !== null) throw new Error(`the service did not start:\n${stdout}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  });
  afterAll(async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('close', r));
    }
  });

  it('holds the verification code within a second of the sign-up when SMTP is unset', async () => {
    const latencies: number[] = [];
    for (let i = 0; i < 5; i++) {
      const email = `prompt-${i}-${Date.now()}@example.com`;
      const res = await fetch(`http://127.0.0.1:${port}/api/auth/sign-up`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, password: 'password123', name: 'Prompt' }),
      });
      expect(res.status).toBe(202);
      const accepted = Date.now();
      const pattern = new RegExp(`mail to ${email.replace(/[.+]/g, '\\$&')} not sent.*verification code is \\d{6}`);
      while (!pattern.test(stdout) && Date.now() - accepted < 5_000) await new Promise((r) => setTimeout(r, 10));
      latencies.push(Date.now() - accepted);
    }
    expect(Math.max(...latencies), `latencies ${latencies.join(', ')} ms`).toBeLessThan(1_000);
  });
});
