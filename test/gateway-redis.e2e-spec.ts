import { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TokenService } from '../src/auth/core/token.service';
import { loadAppConfig } from '../src/config/app-config';
import { APP_CONFIG } from '../src/config/config.module';
import { RealtimeService } from '../src/notifications/realtime.service';
import { createTestApp, TestApp } from './utils/test-app';
import { connectSocket, waitUntilCrossInstanceLive } from './utils/sockets';
import { until } from './utils/wait';

// This test alone uses Redis (REDIS_URL when set, else the local default); it is skipped when none answers.
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

async function redisAnswers(): Promise<boolean> {
  const probe = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 1_000 });
  probe.on('error', () => undefined);
  try {
    await probe.connect();
    return (await probe.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
}

/** Which socket.io adapter the instance's gateway runs on. */
const adapterName = (t: TestApp) =>
  (t.app.get(RealtimeService) as unknown as { server: { of(n: string): { adapter: object } } }).server.of('/').adapter.constructor.name;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('Socket.IO between two instances (Redis adapter)', () => {
  let a: TestApp | undefined;
  let b: TestApp | undefined;
  let socket: Socket | undefined;
  let available = false;

  beforeAll(async () => {
    available = await redisAnswers();
    if (!available) return;
    const withRedis = () => ({ ...loadAppConfig(), redisUrl: REDIS_URL });
    a = await createTestApp({ customize: (x) => x.overrideProvider(APP_CONFIG).useFactory({ factory: withRedis }) });
    b = await createTestApp({ customize: (x) => x.overrideProvider(APP_CONFIG).useFactory({ factory: withRedis }) });
  });
  afterAll(async () => {
    socket?.disconnect();
    await a?.close();
    await b?.close();
  });

  it('delivers an event emitted on one instance to a client connected to the other, once', async (ctx) => {
    if (!available || !a || !b) return ctx.skip(`no Redis answers at ${REDIS_URL}`);
    const [ta, tb] = [a, b];
    const [row] = await ta.app.get(DataSource).query(
      `INSERT INTO users (email, name) VALUES ('redis@example.com', 'R') RETURNING id`,
    );
    for (const t of [ta, tb]) expect(adapterName(t)).toBe('RedisAdapter');
    const token = ta.app.get(TokenService).sign({ id: row.id, role: 'user' });
    socket = await connectSocket(tb.url, token);
    await waitUntilCrossInstanceLive(ta, row.id, socket);
    const seen: unknown[] = [];
    socket.on('points-updated', (p) => seen.push(p));
    const payload = { available: 5, total: 5, pending: 0, debt: 0, delta: 5, transactionId: 'redis-1', seq: 1 };
    ta.app.get(RealtimeService).emitToUser(row.id, 'points-updated', payload);
    await until(() => seen.length, (n) => n > 0, 5_000);
    await sleep(200);
    expect(seen).toEqual([payload]);
  });
});
