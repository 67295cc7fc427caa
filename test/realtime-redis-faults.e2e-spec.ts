import { ChildProcess, spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../src/database/embedded-database';
import { AppProcess, startApp, stopApp } from './utils/app-process';
import { eventsFlowBetween, grantPoint, insertLoginUser, listen, login, resyncCount, SocketListener } from './utils/process-sockets';
import { until } from './utils/wait';

/*
 * Two app processes fanning out through a Redis of this test's own, killed and started again:
 * both stay up, their sockets are told to resync, events flow again. Skipped when no
 * `redis-server` binary is installed.
 */
describe('socket fan-out through a Redis restart', () => {
  let redis: ChildProcess | undefined;
  let redisPort: number;
  let apps: AppProcess[] = [];
  const listeners: SocketListener[] = [];
  let adminToken: string;
  let userId: string;
  let available = true;

  beforeAll(async () => {
    redisPort = await freePort();
    try {
      redis = await startRedis(redisPort);
    } catch {
      available = false;
      return;
    }
    const databaseUrl = process.env.DATABASE_URL!;
    const admin = await insertLoginUser(databaseUrl, 'admin');
    userId = await insertLoginUser(databaseUrl, 'user');
    const env = { DATABASE_URL: databaseUrl, REDIS_URL: `redis://127.0.0.1:${redisPort}` };
    apps = await Promise.all(['a', 'b'].map((name) => startApp({ env, tempDataDir: `app-${name}-` })));
    adminToken = await login(apps[0], admin);
    const userToken = await login(apps[0], userId);
    for (const app of apps) listeners.push(await listen(app, userToken));
  }, 120_000);

  afterAll(async () => {
    for (const l of listeners) l.socket.disconnect();
    await Promise.all(apps.map((a) => stopApp(a, 'SIGTERM', 15_000)));
    redis?.kill('SIGKILL');
  });

  it('keeps both processes up and events flowing after Redis is killed and started again', async (ctx) => {
    if (!available) return ctx.skip('no redis-server binary');
    await eventsFlowBetween(apps, listeners, adminToken, userId);
    const before = listeners.map(resyncCount);
    redis!.kill('SIGKILL');
    await new Promise((r) => redis!.once('exit', r));
    // Changes while Redis is away: their events are lost and their publishes fail (after ioredis'
    // three reconnection attempts, three and a half seconds), which must not end the process.
    const during = await Promise.all(apps.map((app) => grantPoint(app, adminToken, userId)));
    expect(during.every((id) => id !== null)).toBe(true);
    await new Promise((r) => setTimeout(r, 5_000));
    expect(apps.map((a) => a.alive())).toEqual([true, true]);
    redis = await startRedis(redisPort);
    await until(() => listeners.map(resyncCount), (now) => now.every((n, i) => n > before[i]), 20_000);
    expect(apps.map((a) => a.alive())).toEqual([true, true]);
    await eventsFlowBetween(apps, listeners, adminToken, userId);
    expect(apps.map((a) => a.alive())).toEqual([true, true]);
    for (const app of apps) {
      expect(app.countLines('socket.io Redis subscribing connection lost')).toBe(1);
      expect(app.countLines('socket.io Redis subscribing connection back')).toBe(1);
    }
  }, 120_000);
});

async function startRedis(port: number): Promise<ChildProcess> {
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  await new Promise<void>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', () => reject(new Error('redis-server exited')));
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
      if (/Ready to accept connections/.test(out)) resolve();
    });
  });
  return child;
}
