import { Controller, Get, Module } from '@nestjs/common';
import { ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import Redis from 'ioredis';
import { randomInt } from 'node:crypto';
import { DataSource } from 'typeorm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, TestApp } from '../../test/utils/test-app';
import { RateLimit } from './rate-limit.decorator';
import { RATE_LIMIT_POLICIES } from './rate-limit-policies';
import { RateLimitService } from './rate-limit.service';

const OK = { description: 'ok', schema: { type: 'object' as const, properties: { ok: { type: 'boolean' as const } }, required: ['ok'] } };

@Controller('probe')
class ProbeController {
  @Get('limited')
  @RateLimit('resend')
  @ApiOperation({ summary: 'A rate-limited probe' })
  @ApiOkResponse(OK)
  limited() {
    return { ok: true };
  }

  @Get('free')
  @ApiOperation({ summary: 'A probe without a limit' })
  @ApiOkResponse(OK)
  free() {
    return { ok: true };
  }
}

@Module({ controllers: [ProbeController] })
class ProbeModule {}

const limit = RATE_LIMIT_POLICIES.resend.points;

async function hammer(t: TestApp, path: string, times: number, ip = randomIp()) {
  const statuses: number[] = [];
  let last;
  for (let i = 0; i < times; i++) {
    last = await t.http.get(path).set('X-Forwarded-For', ip);
    statuses.push(last.status);
  }
  return { statuses, last: last! };
}

describe('RateLimitGuard', () => {
  let t: TestApp | undefined;
  let saved: NodeJS.ProcessEnv;
  beforeEach(() => {
    saved = { ...process.env };
  });
  afterEach(async () => {
    await t?.close();
    process.env = { ...saved };
  });

  for (const store of ['postgres', 'redis'] as const) {
    describe(`with the ${store} store`, () => {
      it('answers 429 RATE_LIMITED with Retry-After once an IP is over the limit, and counts IPs apart', async (ctx) => {
        process.env.TRUST_PROXY = 'loopback';
        process.env.RATE_LIMIT_SCALE = '1';
        if (store === 'redis') {
          if (!(await redisAnswers())) ctx.skip();
          process.env.REDIS_URL = REDIS_URL;
        }
        t = await createTestApp({ imports: [ProbeModule] });
        // Redis outlives a test run: a random client address keeps runs from sharing counters.
        const client = randomIp();
        const { statuses, last } = await hammer(t, '/probe/limited', limit + 1, client);
        expect(statuses.slice(0, limit).every((s) => s === 200)).toBe(true);
        expect(last.status).toBe(429);
        expect(last.body).toMatchObject({ statusCode: 429, code: 'RATE_LIMITED' });
        expect(Number(last.headers['retry-after'])).toBeGreaterThan(0);
        const other = await t.http.get('/probe/limited').set('X-Forwarded-For', randomIp());
        expect(other.status).toBe(200);
        const free = await hammer(t, '/probe/free', limit + 1, client);
        expect(free.statuses.every((s) => s === 200)).toBe(true);
      });
    });
  }

  it('lets everything through when RATE_LIMIT_SCALE=0', async () => {
    process.env.RATE_LIMIT_SCALE = '0';
    t = await createTestApp({ imports: [ProbeModule] });
    const { statuses } = await hammer(t, '/probe/limited', limit + 3);
    expect(statuses.every((s) => s === 200)).toBe(true);
  });
});

const REDIS_URL = 'redis://127.0.0.1:6379';

function randomIp(): string {
  return `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;
}

async function redisAnswers(): Promise<boolean> {
  const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 500 });
  try {
    await redis.connect();
    return (await redis.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    redis.disconnect();
  }
}

describe('RateLimitService.deleteExpired', () => {
  it('clears the counters whose window is over and keeps the live ones', async () => {
    const t = await createTestApp();
    try {
      const db = t.app.get(DataSource);
      const now = Date.now();
      await db.query(`INSERT INTO rate_limits (key, points, expire) VALUES ('rl:test:old', 3, $1), ('rl:test:live', 1, $2)`, [now - 1000, now + 60_000]);
      expect(await t.app.get(RateLimitService).deleteExpired(now)).toBeGreaterThanOrEqual(1);
      const keys = (await db.query(`SELECT key FROM rate_limits WHERE key LIKE 'rl:test:%'`)).map((r: { key: string }) => r.key);
      expect(keys).toEqual(['rl:test:live']);
    } finally {
      await t.close();
    }
  });
});
