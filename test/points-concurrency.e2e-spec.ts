import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ledgerVerifyCommand } from '../src/cli/commands/ledger-verify.command';
import { serializableStats } from '../src/database/serializable';
import { checkLedger } from '../src/points/ledger-check';
import { PointsService } from '../src/points/points.service';
import { createTestApp, TestApp } from './utils/test-app';
import { runNode } from './utils/run-node';
import { auth, createTestUser, TestUser } from './utils/test-users';

describe('points under real concurrency', () => {
  let t: TestApp;
  let points: PointsService;
  let db: DataSource;
  let admin: TestUser;

  beforeAll(async () => {
    t = await createTestApp();
    points = t.app.get(PointsService);
    db = t.app.get(DataSource);
    admin = await createTestUser(t.app, { role: 'admin' });
  });
  afterAll(() => t?.close());


  it('lets exactly 10 of 50 parallel HTTP redeems of 10 through against 100 available', async () => {
    const u = await createTestUser(t.app);
    await points.addPoints({ userId: u.id, amount: 100, source: 'bonus', metadata: {}, idempotencyKey: `test:${randomUUID()}` });
    const responses = await Promise.all(
      Array.from({ length: 50 }, () => t.http.post('/api/points/redeem').set(auth(u)).send({ amount: 10, reward: 'discount-code' })),
    );
    const created = responses.filter((r) => r.status === 201);
    const refused = responses.filter((r) => r.status === 409);
    expect(created).toHaveLength(10);
    expect(refused).toHaveLength(40);
    expect(refused.every((r) => r.body.code === 'INSUFFICIENT_POINTS')).toBe(true);
    expect(created.every((r) => r.body.available >= 0 && r.body.transaction.balanceAfter >= 0)).toBe(true);
    expect(new Set(created.map((r) => r.body.available))).toEqual(new Set([0, 10, 20, 30, 40, 50, 60, 70, 80, 90]));
    expect(new Set(created.map((r) => r.body.reward.code)).size).toBe(10);
    const me = await t.http.get('/api/points/my-points').set(auth(u)).expect(200);
    expect(me.body).toMatchObject({ available: 0, total: 100 });
    expect(await checkLedger(db)).toEqual([]);
  });

  it('commits 200 parallel HTTP admin awards to one user through two instances, retries absorbing their conflicts', async () => {
    const u = await createTestUser(t.app);
    // Within one instance awards to one user queue up; between instances they meet as serialization failures.
    const other = await createTestApp();
    const retriesBefore = serializableStats.retries;
    const amounts = Array.from({ length: 200 }, (_, i) => (i % 7) + 1);
    const responses = await Promise.all(
      amounts.map((amount, i) =>
        (i % 2 ? other : t).http.post('/api/points/admin/add').set(auth(admin)).send({ userId: u.id, amount, reason: 'load' }),
      ),
    ).finally(() => other.close());
    expect(responses.filter((r) => r.status !== 201).map((r) => r.body)).toEqual([]);
    const sum = amounts.reduce((s, a) => s + a, 0);
    const me = await t.http.get('/api/points/my-points').set(auth(u)).expect(200);
    expect(me.body).toMatchObject({ available: sum, total: sum });
    const [c] = await db.query(`SELECT count(*)::int AS c FROM point_transactions WHERE user_id = $1`, [u.id]);
    expect(c.c).toBe(200);
    expect(serializableStats.retries).toBeGreaterThan(retriesBefore);
    expect(await checkLedger(db)).toEqual([]);
  });

  it('writes one entry for one Idempotency-Key sent 20 times to redeem concurrently', async () => {
    const u = await createTestUser(t.app);
    await points.addPoints({ userId: u.id, amount: 100, source: 'bonus', metadata: {}, idempotencyKey: `test:${randomUUID()}` });
    const key = randomUUID();
    const responses = await Promise.all(
      Array.from({ length: 20 }, () =>
        t.http.post('/api/points/redeem').set(auth(u)).set('Idempotency-Key', key).send({ amount: 10, reward: 'discount-code' }),
      ),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(20).fill(201));
    expect(new Set(responses.map((r) => r.body.reward.code)).size).toBe(1);
    const [c] = await db.query(`SELECT count(*)::int AS c FROM point_transactions WHERE user_id = $1 AND type = 'spend'`, [u.id]);
    expect(c.c).toBe(1);
    expect((await t.http.get('/api/points/my-points').set(auth(u))).body.available).toBe(90);
  });

  describe('ledger:verify', () => {
    it('exits 0 on a consistent ledger and 1, naming the user, after a balance is corrupted', async () => {
      const lines: string[] = [];
      const run = () => ledgerVerifyCommand.run({ url: '', dataSource: db, close: async () => undefined }, [], (l) => lines.push(l));
      expect(await run()).toBe(0);
      expect(lines.join('\n')).toContain('ledger ok');
      const u = await createTestUser(t.app);
      await points.addPoints({ userId: u.id, amount: 100, source: 'bonus', metadata: {}, idempotencyKey: `test:${randomUUID()}` });
      await db.query(`UPDATE point_balances SET available = available + 5 WHERE user_id = $1`, [u.id]);
      lines.length = 0;
      expect(await run()).toBe(1);
      const output = lines.join('\n');
      expect(output).toContain(u.id);
      expect(output).toContain('expected 100, actual 105');
      await db.query(`UPDATE point_balances SET available = available - 5 WHERE user_id = $1`, [u.id]);
      await db.query(`UPDATE point_balances SET total = 5000 WHERE user_id = $1`, [u.id]);
      const problems = await checkLedger(db);
      expect(problems.map((p) => p.problem)).toEqual([
        'total differs from the sum of posted earn and clawback entries',
        'level does not match total and level_configs',
      ]);
      await db.query(`UPDATE point_balances SET total = 100 WHERE user_id = $1`, [u.id]);
      expect(await checkLedger(db)).toEqual([]);
    });

    it('runs as `cli ledger:verify`, exiting 1 and naming the user while a balance is off', async () => {
      const cli = () => runNode('cli/main.js', ['ledger:verify'], { DATABASE_URL: process.env.DATABASE_URL! });
      const ok = await cli();
      expect(ok.code, ok.stdout + ok.stderr).toBe(0);
      const u = await createTestUser(t.app);
      await db.query(`INSERT INTO point_balances (user_id, pending) VALUES ($1, 7)`, [u.id]);
      const bad = await cli();
      expect(bad.code).toBe(1);
      expect(bad.stdout).toContain(`user ${u.id}: pending differs from the sum of pending entries (expected 0, actual 7)`);
      await db.query(`UPDATE point_balances SET pending = 0 WHERE user_id = $1`, [u.id]);
    });

    it('refuses to let history be edited', async () => {
      const u = await createTestUser(t.app);
      const r = await points.addPoints({ userId: u.id, amount: 10, source: 'bonus', metadata: {}, idempotencyKey: `test:${randomUUID()}` });
      await expect(db.query(`UPDATE point_transactions SET amount = 1000 WHERE id = $1`, [r.transaction.id])).rejects.toThrow(/append-only/);
      await expect(db.query(`DELETE FROM point_transactions WHERE id = $1`, [r.transaction.id])).rejects.toThrow(/append-only/);
    });
  });
});
