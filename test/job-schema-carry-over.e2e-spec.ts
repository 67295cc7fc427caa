import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import PgBoss from 'pg-boss';
import { Client } from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { installJobSchema } from '../src/jobs/install-job-schema';

/*
 * A database whose `pgboss` schema pg-boss 12.35 created (the fixture is a pg_dump of one, with
 * jobs in every state), started by this build's pg-boss 10: its queued work must survive.
 */
const FIXTURE = readFileSync(join(__dirname, 'fixtures', 'pgboss-12-schema.sql'), 'utf8');

describe('a pg-boss 12 job schema met by pg-boss 10', () => {
  let db: Client;
  const url = () => process.env.DATABASE_URL!;
  const jobs = async () =>
    (await db.query(`SELECT id, name, state, data, retry_count, retry_limit, singleton_key, start_after FROM pgboss.job ORDER BY data->>'purchaseId', data->>'deliveryId', data->>'to'`)).rows;

  beforeAll(async () => {
    db = new Client({ connectionString: url() });
    await db.connect();
  });
  afterAll(() => db?.end());

  beforeEach(async () => {
    await db.query('DROP SCHEMA IF EXISTS pgboss CASCADE');
    // The dump empties search_path for its session: a client of its own.
    const loader = new Client({ connectionString: url() });
    await loader.connect();
    await loader.query(FIXTURE).finally(() => loader.end());
    expect((await db.query('SELECT version FROM pgboss.version')).rows).toEqual([{ version: 43 }]);
  });

  it('carries the queued, retrying, interrupted and failed jobs over, with ids, payloads and start times, and drops the old schema', async () => {
    const before = await jobs();
    await installJobSchema(url());

    expect((await db.query('SELECT version FROM pgboss.version')).rows).toEqual([{ version: 24 }]);
    expect((await db.query(`SELECT count(*)::int AS n FROM pg_namespace WHERE nspname LIKE 'pgboss%'`)).rows[0].n).toBe(1);
    const after = await jobs();
    // An interrupted (active) job is retried from now; every other keeps its start time.
    const carried = before.filter((j) => j.state !== 'completed').map((j) => ({ ...j, state: j.state === 'active' ? 'retry' : j.state }));
    const timeless = (list: typeof before) => list.map(({ start_after: _at, ...j }) => j);
    expect(timeless(after)).toEqual(timeless(carried));
    const waited = (list: typeof before) => list.filter((j) => j.state !== 'active' && j.state !== 'retry').map((j) => [j.id, j.start_after]);
    expect(waited(after)).toEqual(waited(before.filter((j) => j.state !== 'completed')));
    expect(after.map((j) => j.state).sort()).toEqual(['created', 'created', 'created', 'created', 'failed', 'retry', 'retry']);
    // A delayed release keeps its time (the fixture's, a day after it was captured).
    expect(after.find((j) => j.data.purchaseId === 'p2')?.start_after).toEqual(new Date('2026-12-02T18:32:10.121Z'));
    expect((await db.query(`SELECT name, cron, timezone FROM pgboss.schedule`)).rows).toEqual([{ name: 'purchase-refund-sweep', cron: '*/5 * * * *', timezone: 'UTC' }]);
    expect((await db.query(`SELECT retry_limit, retry_backoff FROM pgboss.queue WHERE name = 'webhook-delivery'`)).rows).toEqual([{ retry_limit: 20, retry_backoff: true }]);

    // pg-boss 10 works them: the waiting purchase reward comes out as it went in.
    const boss = new PgBoss({ connectionString: url(), supervise: false, schedule: false, max: 2 });
    boss.on('error', () => undefined);
    await boss.start();
    try {
      const fetched = await boss.fetch<{ purchaseId: string }>('purchase-reward', { batchSize: 5 });
      expect(fetched.map((j) => j.data.purchaseId).sort()).toEqual(['p-singleton', 'p1']);
      await boss.complete('purchase-reward', fetched.map((j) => j.id));
      expect(await boss.getQueueSize('purchase-reward')).toBe(0);
    } finally {
      await boss.stop({ graceful: false, wait: true, timeout: 1_000 });
    }
  });

  it('does nothing the second time, so instances starting one after another agree', async () => {
    await installJobSchema(url());
    const once = await jobs();
    await installJobSchema(url());
    expect(await jobs()).toEqual(once);
  });

  it('leaves the old schema as it was when the carry-over fails half-way', async () => {
    // A 12.x schema of a shape this code does not know: the copy of the jobs fails.
    await db.query('ALTER TABLE pgboss.job DROP COLUMN output');
    const before = await jobs();
    await expect(installJobSchema(url())).rejects.toThrow(/output/);
    expect((await db.query('SELECT version FROM pgboss.version')).rows).toEqual([{ version: 43 }]);
    expect(await jobs()).toEqual(before);
    expect((await db.query(`SELECT count(*)::int AS n FROM pg_namespace WHERE nspname LIKE 'pgboss%'`)).rows[0].n).toBe(1);
  });
});
