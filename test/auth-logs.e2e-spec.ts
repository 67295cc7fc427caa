import { INestApplication } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import pino from 'pino';
import TestAgent from 'supertest/lib/agent';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppModule } from '../src/app.module';
import { REDACTED_PATHS } from '../src/common/logging/logger';
import { PinoLoggerService } from '../src/common/logging/pino-logger.service';
import { configureApp } from '../src/configure-app';
import { openApiAgent } from './utils/openapi-agent';

const digits = (code: string) => new RegExp(`(?<!\\d)${code}(?!\\d)`);

/** The app as main.ts builds it (pino for Nest and for requests), logging at trace level into memory. */
describe('secrets in logs', () => {
  const lines: string[] = [];
  let app: INestApplication;
  let agent: TestAgent;
  const http = () => agent;

  beforeAll(async () => {
    process.env.RATE_LIMIT_SCALE = '1000';
    delete process.env.SMTP_URL;
    const logger = pino(
      { level: 'trace', redact: { paths: REDACTED_PATHS, censor: '[redacted]' } },
      { write: (line: string) => void lines.push(line) },
    );
    const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
    app = moduleRef.createNestApplication<NestExpressApplication>({ rawBody: true, logger: new PinoLoggerService(logger) });
    configureApp(app, logger);
    await app.init();
    ({ http: agent } = await openApiAgent(app.getHttpServer()));
  });
  afterAll(() => app?.close());

  async function mailedCode(email: string): Promise<string> {
    const end = Date.now() + 15_000;
    while (Date.now() < end) {
      const line = lines.find((l) => l.includes('no SMTP_URL') && l.includes(email));
      const match = line && /verification code is (\d{6})/.exec(line);
      if (match) return match[1];
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('the dev fallback did not log the mail');
  }

  it('logs the code only in the no-SMTP mail line, and never a password or a token', async () => {
    const email = 'logged@example.com';
    const password = 'Sup3r-Secret-Passw0rd';
    await http().post('/api/auth/sign-up').send({ email, password, name: 'Logged' }).expect(202);
    const code = await mailedCode(email);
    const wrong = code === '000000' ? '999999' : '000000';
    await http().post('/api/auth/verify-email-code').send({ email, code: wrong }).expect(400);
    const verified = await http().post('/api/auth/verify-email-code').send({ email, code }).expect(201);
    await http().post('/api/auth/login').send({ email, password: 'Wrong-Passw0rd-123' }).expect(401);
    const login = await http().post('/api/auth/login').send({ email, password }).expect(200);
    await http().get('/api/auth/me').set('Authorization', `Bearer ${login.body.accessToken}`).expect(200);
    await http().post('/api/auth/login').set('Content-Type', 'application/json').send(`{"email":"${email}","password":"${password}`).expect(400);

    expect(lines.length).toBeGreaterThan(5);
    const secrets = [password, 'Wrong-Passw0rd-123', verified.body.accessToken, login.body.accessToken];
    for (const line of lines) {
      for (const secret of secrets) expect(line).not.toContain(secret);
      if (digits(code).test(line)) expect(line).toContain('no SMTP_URL');
      expect(line).not.toMatch(digits(wrong));
    }
  });
});
