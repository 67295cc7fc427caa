import { ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkLedger } from '../src/points/ledger-check';
import { awardPause } from './utils/award-pause';
import { sign } from './utils/purchase-webhooks';
import { DIST } from './utils/run-node';
import { freePort } from '../src/database/embedded-database';

/*
 * A worker process killed with SIGKILL in the middle of a reward job: pg-boss expires the job
 * (short expiry, fast supervision) and a second process re-runs it; every award key ends up
 * with exactly one entry. Needs the compiled app (`pretest` builds it).
 */
describe('a reward job whose worker is killed half-way', () => {
  let db: Client;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    db = new Client({ connectionString: process.env.DATABASE_URL });
    await db.connect();
  });
  afterAll(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    await db?.end();
  });

  async function startApp(port: number, awardDelayMs: number): Promise<ChildProcess> {
    const child = spawn(process.execPath, [join(DIST, 'main.js')], {
      env: {
        PATH: process.env.PATH ?? '',
        NODE_ENV: 'test',
        PORT: String(port),
        DATABASE_URL: process.env.DATABASE_URL!,
        JWT_SECRET: process.env.JWT_SECRET!,
        PURCHASE_WEBHOOK_SECRET: process.env.PURCHASE_WEBHOOK_SECRET!,
        LOG_LEVEL: 'silent',
        DATA_DIR: mkdtempSync(join(tmpdir(), 'crash-')),
        ...awardPause(awardDelayMs),
        PURCHASE_JOB_EXPIRE_SECONDS: '2',
        JOBS_SUPERVISE_INTERVAL_SECONDS: '1',
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    children.push(child);
    let stderr = '';
    child.stderr!.on('data', (d) => (stderr += d));
    const end = Date.now() + 30_000;
    while (Date.now() < end) {
      if (child.exitCode !== null) throw new Error(`app exited: ${stderr}`);
      const ok = await fetch(`http://127.0.0.1:${port}/health`).then((r) => r.ok, () => false);
      if (ok) return child;
      await sleep(200);
    }
    throw new Error(`app did not start: ${stderr}`);
  }

  async function user(name: string): Promise<string> {
    const { rows } = await db.query(`INSERT INTO users (email, name) VALUES ($1::text, $2) RETURNING id`, [
      `${randomUUID()}@example.com`,
      name,
    ]);
    return rows[0].id;
  }

  async function refer(referrer: string, referee: string) {
    await db.query(`INSERT INTO referrals (referrer_id, referee_id, code, status) VALUES ($1, $2, 'CRASHTST', 'pending')`, [referrer, referee]);
    await db.query(`UPDATE users SET referred_by_id = $2 WHERE id = $1`, [referee, referrer]);
  }

  const entries = async (orderId: string) =>
    (await db.query(`SELECT idempotency_key, user_id, amount::int AS amount FROM point_transactions WHERE metadata->>'orderId' = $1`, [orderId])).rows;

  it('leaves exactly one award per key after a second process re-runs the job', async () => {
    const top = await user('Top');
    const referrer = await user('Referrer');
    const buyer = await user('Buyer');
    await refer(top, referrer);
    await refer(referrer, buyer);

    const port = await freePort();
    const first = await startApp(port, 3_000);
    const orderId = `crash-${randomUUID()}`;
    const text = JSON.stringify({ orderId, userId: buyer, amount: 10_000, currency: 'USD' });
    const res = await fetch(`http://127.0.0.1:${port}/api/purchases/completed`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Signature': sign(text) },
      body: text,
    });
    expect(res.status).toBe(202);

    const killAt = Date.now() + 20_000;
    while ((await entries(orderId)).length === 0 && Date.now() < killAt) await sleep(50);
    first.kill('SIGKILL');
    await new Promise((r) => first.once('exit', r));
    const partial = await entries(orderId);
    expect(partial.length).toBeGreaterThanOrEqual(1);
    expect(partial.length).toBeLessThan(4);
    const [active] = (await db.query(`SELECT state FROM pgboss.job WHERE name = 'purchase-reward' AND data->>'purchaseId' IS NOT NULL`)).rows;
    expect(active.state).toBe('active');

    const second = await startApp(await freePort(), 0);
    const doneBy = Date.now() + 60_000;
    let state = '';
    while (Date.now() < doneBy) {
      state = (await db.query(`SELECT state FROM pgboss.job WHERE name = 'purchase-reward'`)).rows[0].state;
      if (state === 'completed') break;
      await sleep(200);
    }
    expect(state).toBe('completed');
    second.kill('SIGTERM');
    await new Promise((r) => second.once('exit', r));

    const all = await entries(orderId);
    expect(all).toHaveLength(4);
    expect(new Set(all.map((e) => e.idempotency_key)).size).toBe(4);
    const { rows } = await db.query(`SELECT u.id, COALESCE(b.total, 0)::int AS total FROM users u LEFT JOIN point_balances b ON b.user_id = u.id WHERE u.id = ANY($1::uuid[])`, [[top, referrer, buyer]]);
    const totals = Object.fromEntries(rows.map((r) => [r.id, r.total]));
    expect(totals).toEqual({ [top]: 100, [referrer]: 600, [buyer]: 100 });
    const { rows: notes } = await db.query(`SELECT count(*)::int AS n FROM notifications WHERE user_id = $1 AND type = 'referral-converted'`, [referrer]);
    expect(notes[0].n).toBe(1);
    const ledger = { query: (sql: string) => db.query(sql).then((r) => r.rows) } as unknown as DataSource;
    expect(await checkLedger(ledger)).toEqual([]);
  }, 150_000);
});

function sleep(ms: number) {
  return new Promise((r) => setTimeout(r, ms));
}
