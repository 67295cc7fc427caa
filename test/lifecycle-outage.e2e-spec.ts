import { randomUUID } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddedDatabase, freePort, startEmbeddedDatabase } from '../src/database/embedded-database';
import { AppProcess, killApp, spawnApp, waitHealthy } from './utils/app-process';
import { sign } from './utils/purchase-webhooks';
import { until } from './utils/wait';

interface Outcome {
  status: number;
  retryAfter: string | null;
}

/*
 * The app on a PostgreSQL of its own, which the test terminates and restarts under a steady mix of
 * reads, purchase webhooks (TypeORM and pg-boss in one transaction) and rate-limited log-ins
 * (the PostgreSQL rate-limit store). The terminations spare the Socket.IO adapter's connection (the
 * fault test's concern); the restart cannot, so that part also needs the adapter to survive a
 * dropped LISTEN connection (issue 9, item 1).
 */
describe('a database that drops its connections or restarts', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'lifecycle-outage-'));
  let port: number;
  let pg: EmbeddedDatabase;
  let app: AppProcess;
  let buyer: string;
  const outcomes: Outcome[] = [];
  const accepted: string[] = [];
  let loading = true;
  let load: Promise<void>;

  const db = async <T>(work: (c: Client) => Promise<T>) => {
    const client = new Client({ connectionString: pg.url });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  };

  async function call(path: string, init: RequestInit = {}): Promise<Outcome | undefined> {
    try {
      const res = await fetch(`${app.url}${path}`, { ...init, signal: AbortSignal.timeout(15_000) });
      await res.arrayBuffer();
      const outcome = { status: res.status, retryAfter: res.headers.get('retry-after') };
      outcomes.push(outcome);
      return outcome;
    } catch (error) {
      if (!app.alive()) throw new Error(`the app exited: ${app.stderr()}`, { cause: error });
      return undefined;
    }
  }

  async function purchase(): Promise<Outcome | undefined> {
    const orderId = `outage-${randomUUID()}`;
    const text = JSON.stringify({ orderId, userId: buyer, amount: 2_500, currency: 'USD' });
    const outcome = await call('/api/purchases/completed', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Signature': sign(text) },
      body: text,
    });
    if (outcome?.status === 202) accepted.push(orderId);
    return outcome;
  }

  beforeAll(async () => {
    chmodSync(dataDir, 0o755);
    port = await freePort();
    pg = await startEmbeddedDatabase({ dataDir, port });
    app = await spawnApp({ env: { DATABASE_URL: pg.url, RATE_LIMIT_SCALE: '1' } });
    await waitHealthy(app, 90_000);
    buyer = await db(async (c) => (await c.query(`INSERT INTO users (email, name) VALUES ($1, 'Buyer') RETURNING id`, [`${randomUUID()}@example.com`])).rows[0].id);
    load = (async () => {
      while (loading) {
        await call('/health');
        await purchase();
        await call('/api/auth/login', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ email: 'nobody@example.com', password: 'wrong-password' }) });
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
  }, 120_000);

  afterAll(async () => {
    loading = false;
    await load;
    killApp(app);
    await pg?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps serving when every backend of the app is terminated, three times', async () => {
    for (let round = 0; round < 3; round++) {
      const killed = await db(async (c) =>
        (await c.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name IN ('referral-points', 'referral-points-jobs')`)).rowCount,
      );
      expect(killed).toBeGreaterThan(0);
      await new Promise((r) => setTimeout(r, 1_000));
    }
    expect(app.alive()).toBe(true);
    await until(() => purchase(), (o) => o?.status === 202, 20_000);
    expect((await call('/health'))?.status).toBe(200);
  }, 60_000);

  it('answers 503 with Retry-After while the server is down, and 2xx once it is back, without a restart', async () => {
    const pid = app.child.pid;
    await pg.stop();
    const down = await until(() => call('/health'), (o) => o?.status === 503, 20_000);
    expect(down!.retryAfter).toMatch(/^\d+$/);
    await until(() => purchase(), (o) => o?.status === 503, 20_000);

    pg = await startEmbeddedDatabase({ dataDir, port });
    await until(() => call('/health'), (o) => o?.status === 200, 30_000);
    await until(() => purchase(), (o) => o?.status === 202, 30_000);
    expect(app.alive()).toBe(true);
    expect(app.child.pid).toBe(pid);
  }, 90_000);

  it('answered only 2xx, 401, 429 or 503 (with Retry-After) throughout, and kept every accepted purchase', async () => {
    loading = false;
    await load;
    const statuses = new Set(outcomes.map((o) => o.status));
    expect([...statuses].filter((s) => ![200, 202, 401, 429, 503].includes(s))).toEqual([]);
    expect(outcomes.filter((o) => o.status === 503 && !o.retryAfter)).toEqual([]);
    expect(statuses.has(503)).toBe(true);
    const kept = await db(async (c) => (await c.query(`SELECT count(*)::int AS n FROM purchases WHERE order_id = ANY($1)`, [accepted])).rows[0].n);
    expect(kept).toBe(accepted.length);
    expect(app.logLines(['fatal'])).toEqual([]);
  });
});
