import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddedDatabase, freePort, startEmbeddedDatabase } from '../src/database/embedded-database';
import { prepareAppDatabase } from '../src/prepare-app-database';
import { installJobSchema } from '../src/jobs/install-job-schema';
import { AppProcess, startApp, stopApp } from './utils/app-process';
import { eventsFlowBetween, grantPoint, insertLoginUser, listen, login, resyncCount, SocketListener } from './utils/process-sockets';
import { until } from './utils/wait';

/*
 * Two app processes on a PostgreSQL of this test's own (it terminates backends and restarts the
 * server, which the shared one must never see), a socket client on each. After the socket
 * adapter's connections are terminated, three times, and after a restart of the server, both
 * processes are still up, their sockets are told to resync, and events of new changes reach
 * them from the other instance.
 */
describe('socket fan-out through database faults', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'realtime-faults-'));
  let port: number;
  let db: EmbeddedDatabase;
  let appUrl: string;
  let apps: AppProcess[] = [];
  const listeners: SocketListener[] = [];
  let adminToken: string;
  let userId: string;

  beforeAll(async () => {
    // As root, postgres runs as its own user and must be able to enter the folder.
    chmodSync(dataDir, 0o755);
    port = await freePort();
    db = await startEmbeddedDatabase({ dataDir, port });
    // A database of its own, so that the maintenance one can shut it to new connections.
    await sql(db.url, 'CREATE DATABASE realtime');
    appUrl = Object.assign(new URL(db.url), { pathname: '/realtime' }).toString();
    await prepareAppDatabase(appUrl);
    await installJobSchema(appUrl);
    const admin = await insertLoginUser(appUrl, 'admin');
    userId = await insertLoginUser(appUrl, 'user');
    apps = await Promise.all(['a', 'b'].map((name) => startApp({ env: { DATABASE_URL: appUrl }, tempDataDir: `app-${name}-` })));
    adminToken = await login(apps[0], admin);
    const userToken = await login(apps[0], userId);
    for (const app of apps) listeners.push(await listen(app, userToken));
  }, 120_000);

  afterAll(async () => {
    for (const l of listeners) l.socket.disconnect();
    await Promise.all(apps.map((a) => stopApp(a, 'SIGTERM', 15_000)));
    await db?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const alive = () => apps.map((a) => a.alive());
  const flow = () => eventsFlowBetween(apps, listeners, adminToken, userId);

  it('keeps both processes up and events flowing after the adapter\'s backends are terminated three times', async () => {
    await flow();
    for (let round = 0; round < 3; round++) {
      const before = listeners.map(resyncCount);
      const killed = await terminate(db.url, `application_name = 'referral-points-socket'`);
      expect(killed).toBeGreaterThanOrEqual(2);
      // Each instance's LISTEN connection is back: its socket is told that it may have missed events.
      await until(() => listeners.map(resyncCount), (now) => now.every((n, i) => n > before[i]), 15_000);
      expect(alive()).toEqual([true, true]);
    }
    await flow();
    expect(alive()).toEqual([true, true]);
    for (const app of apps) {
      expect(app.countLines('socket.io LISTEN connection lost')).toBe(3);
      expect(app.countLines('socket.io LISTEN connection back')).toBe(3);
    }
  }, 120_000);

  it('has the other instance resync its sockets when a publish was lost while its own LISTEN stayed up', async () => {
    await flow();
    const lostBefore = apps[1].countLines('socket.io LISTEN connection lost');
    const before = resyncCount(listeners[1]);
    const maintenance = db.url;
    // No new connection while the publishing ones are cut: the next publish cannot get one and is
    // lost, yet every LISTEN connection (and the app's pooled ones) stays up.
    await sql(maintenance, `ALTER DATABASE realtime ALLOW_CONNECTIONS false`);
    try {
      await terminate(maintenance, `application_name = 'referral-points-socket' AND query LIKE '%pg_notify%'`);
      const granted = await grantPoint(apps[0], adminToken, userId);
      expect(granted).not.toBeNull();
      await until(() => apps[0].countLines('socket.io publishing connection lost'), (n) => n > 0, 10_000);
    } finally {
      await sql(maintenance, `ALTER DATABASE realtime ALLOW_CONNECTIONS true`);
    }
    await until(() => resyncCount(listeners[1]), (n) => n > before, 15_000);
    expect(apps[1].countLines('socket.io LISTEN connection lost')).toBe(lostBefore);
    await flow();
    expect(alive()).toEqual([true, true]);
  }, 120_000);

  it('keeps both processes up and events flowing after the database server restarts', async () => {
    const before = listeners.map(resyncCount);
    const lostBefore = apps.map((app) => app.countLines('socket.io LISTEN connection lost'));
    await db.stop();
    await new Promise((r) => setTimeout(r, 1_000));
    db = await startEmbeddedDatabase({ dataDir, port });
    const back = Date.now();
    await until(() => listeners.map(resyncCount), (now) => now.every((n, i) => n > before[i]), 20_000);
    expect(Date.now() - back).toBeLessThan(15_000);
    expect(alive()).toEqual([true, true]);
    await flow();
    expect(alive()).toEqual([true, true]);
    // However many reconnection attempts the outage took: one line when lost, one when back.
    apps.forEach((app, i) => expect(app.countLines('socket.io LISTEN connection lost') - lostBefore[i]).toBe(1));
  }, 120_000);
});

async function sql(url: string, statement: string): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/** pg_terminate_backend on this test's own server only. */
async function terminate(url: string, where: string): Promise<number> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query(
      `SELECT count(*)::int AS n FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE ${where} AND pid <> pg_backend_pid()) t`,
    );
    return rows[0].n;
  } finally {
    await client.end();
  }
}
