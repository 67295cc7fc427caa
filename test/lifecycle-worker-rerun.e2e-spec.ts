import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppProcess, killApp, spawnApp, waitHealthy } from './utils/app-process';
import { awardPause } from './utils/award-pause';
import { sign } from './utils/purchase-webhooks';
import { until } from './utils/wait';

/*
 * With the shipped settings (no shortened expiry, no faster supervision): a worker killed in the
 * middle of a reward job stops sending heartbeats, and the job runs again on another instance
 * within a minute instead of waiting for its expiry.
 */
describe('a reward job whose worker is killed, with the default job settings', () => {
  let db: Client;
  const apps: AppProcess[] = [];

  beforeAll(async () => {
    db = new Client({ connectionString: process.env.DATABASE_URL });
    await db.connect();
  });
  afterAll(async () => {
    apps.forEach(killApp);
    await db?.end();
  });

  const user = async (name: string) =>
    (await db.query(`INSERT INTO users (email, name) VALUES ($1, $2) RETURNING id`, [`${randomUUID()}@example.com`, name])).rows[0].id as string;
  const entries = async (orderId: string) =>
    (await db.query(`SELECT idempotency_key FROM point_transactions WHERE metadata->>'orderId' = $1`, [orderId])).rows as { idempotency_key: string }[];

  it('runs again within a minute of the kill and awards each key once', async () => {
    const referrer = await user('Referrer');
    const buyer = await user('Buyer');
    await db.query(`INSERT INTO referrals (referrer_id, referee_id, code, status) VALUES ($1, $2, 'RERUNTST', 'pending')`, [referrer, buyer]);
    await db.query(`UPDATE users SET referred_by_id = $2 WHERE id = $1`, [buyer, referrer]);

    const first = await spawnApp({ env: { DATABASE_URL: process.env.DATABASE_URL!, LOG_LEVEL: 'silent', ...awardPause(30_000) } });
    apps.push(first);
    await waitHealthy(first);
    const orderId = `rerun-${randomUUID()}`;
    const text = JSON.stringify({ orderId, userId: buyer, amount: 10_000, currency: 'USD' });
    const res = await fetch(`${first.url}/api/purchases/completed`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Signature': sign(text) },
      body: text,
    });
    expect(res.status).toBe(202);
    await until(() => entries(orderId), (rows) => rows.length > 0, 30_000);
    killApp(first);
    await first.exited;
    const killedAt = Date.now();

    const second = await spawnApp({ env: { DATABASE_URL: process.env.DATABASE_URL!, LOG_LEVEL: 'silent' } });
    apps.push(second);
    // This file's database holds this one purchase, so its reward job is the only one.
    const jobState = async () => (await db.query(`SELECT state FROM pgboss.job WHERE name = 'purchase-reward'`)).rows[0]?.state;
    await until(jobState, (state) => state === 'completed', 60_000);
    const rerunMs = Date.now() - killedAt;
    process.stdout.write(`[lifecycle] killed reward job completed ${rerunMs} ms after the kill\n`);
    expect(rerunMs).toBeLessThan(60_000);

    const all = await entries(orderId);
    expect(all.length).toBeGreaterThan(1);
    expect(new Set(all.map((e) => e.idempotency_key)).size).toBe(all.length);
  }, 120_000);
});
