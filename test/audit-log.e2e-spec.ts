import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ReferralReviewRepository } from '../src/admin/referral-review.repository';
import { usersDemoteCommand } from '../src/cli/commands/users-demote.command';
import { usersPromoteCommand } from '../src/cli/commands/users-promote.command';
import { ledgerBatchSize } from '../src/metrics/metrics';
import { AdminPointsService } from '../src/points/admin-points.service';
import { referralChain } from './utils/purchase-webhooks';
import { createTestApp, TestApp } from './utils/test-app';
import { auth, createTestUser, TestUser } from './utils/test-users';

describe('audit log', () => {
  let t: TestApp;
  let db: DataSource;
  let admin: TestUser;
  let user: TestUser;

  beforeAll(async () => {
    t = await createTestApp();
    db = t.app.get(DataSource);
    admin = await createTestUser(t.app, { role: 'admin' });
    user = await createTestUser(t.app);
  });
  afterAll(() => t?.close());

  const log = (query: string) => t.http.get(`/api/admin/audit-log?${query}`).set(auth(admin));
  const rowsFor = async (targetId: string) => (await log(`targetId=${targetId}&limit=100`).expect(200)).body.items;
  const cli = () => ({ url: '', dataSource: db, close: async () => undefined });
  const addPoints = (body: object, headers: Record<string, string> = {}) =>
    t.http.post('/api/points/admin/add').set(auth(admin)).set(headers).send(body);

  it('answers 401 anonymous and 403 for non-admins', async () => {
    const anonymous = await t.http.get('/api/admin/audit-log');
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.code).toBe('UNAUTHORIZED');
    const forbidden = await t.http.get('/api/admin/audit-log').set(auth(user));
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.code).toBe('FORBIDDEN');
  });

  it('records admin grants and deductions with the actor, balances after and the request id', async () => {
    const target = await createTestUser(t.app);
    const grant = await addPoints({ userId: target.id, amount: 500, reason: 'goodwill' }, { 'X-Request-Id': 'req-grant-1' }).expect(201);
    const cut = await addPoints({ userId: target.id, amount: -200, reason: 'correction' }).expect(201);
    const items = await rowsFor(target.id);
    expect(items).toEqual([
      {
        id: expect.any(String),
        at: expect.any(String),
        actor: { id: admin.id, email: admin.email },
        action: 'points.deducted',
        target: { type: 'user', id: target.id },
        before: null,
        after: { total: 500, available: 300, pending: 0, debt: 0, level: expect.any(Number) },
        details: { amount: -200, reason: 'correction', transactionId: cut.body.transaction.id },
        requestId: cut.headers['x-request-id'],
      },
      {
        id: expect.any(String),
        at: expect.any(String),
        actor: { id: admin.id, email: admin.email },
        action: 'points.added',
        target: { type: 'user', id: target.id },
        before: null,
        after: { total: 500, available: 500, pending: 0, debt: 0, level: expect.any(Number) },
        details: { amount: 500, reason: 'goodwill', transactionId: grant.body.transaction.id },
        requestId: 'req-grant-1',
      },
    ]);
  });

  it('records nothing for a refused deduction or a replayed Idempotency-Key', async () => {
    const target = await createTestUser(t.app);
    await addPoints({ userId: target.id, amount: -1, reason: 'too much' }).expect(409);
    expect(await rowsFor(target.id)).toEqual([]);
    const key = { 'Idempotency-Key': randomUUID() };
    await addPoints({ userId: target.id, amount: 50, reason: 'once' }, key).expect(201);
    await addPoints({ userId: target.id, amount: 50, reason: 'once' }, key).expect(201);
    expect(await rowsFor(target.id)).toHaveLength(1);
  });

  it('rolls the action back when its audit row cannot be written', async () => {
    const target = await createTestUser(t.app);
    await whileAuditRefuses('refused by audit', async () => {
      const res = await addPoints({ userId: target.id, amount: 40, reason: 'refused by audit' });
      expect(res.status).toBe(500);
      const [entries] = await db.query(`SELECT count(*)::int AS n FROM point_transactions WHERE user_id = $1`, [target.id]);
      expect(entries.n).toBe(0);
      const { body } = await t.http.get('/api/points/my-points').set(auth(target)).expect(200);
      expect(body.available).toBe(0);
    });
  });

  /** Runs `work` while audit rows whose reason is `reason` fail to insert. */
  async function whileAuditRefuses(reason: string, work: () => Promise<void>): Promise<void> {
    await db.query(`
      CREATE FUNCTION test_refuse_audit() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.details->>'reason' = '${reason}' THEN RAISE EXCEPTION 'audit refused'; END IF;
        RETURN NEW;
      END $$`);
    await db.query(`CREATE TRIGGER test_refuse_audit BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION test_refuse_audit()`);
    try {
      await work();
    } finally {
      await db.query(`DROP TRIGGER test_refuse_audit ON audit_log`);
      await db.query(`DROP FUNCTION test_refuse_audit()`);
    }
  }

  async function batchesObserved(): Promise<{ count: number; sum: number }> {
    const { values } = await ledgerBatchSize.get();
    return {
      count: values.find((v) => v.metricName === 'ledger_batch_size_count')?.value ?? 0,
      sum: values.find((v) => v.metricName === 'ledger_batch_size_sum')?.value ?? 0,
    };
  }

  it('writes one row per entry of a batch of grants, none for a duplicate or a refusal', async () => {
    const [a, b] = [await createTestUser(t.app), await createTestUser(t.app)];
    const admins = t.app.get(AdminPointsService);
    const before = await batchesObserved();
    const opener = admins.add(admin.id, a.id, 10, 'opener', undefined, 'req-opener');
    const batch = [
      admins.add(admin.id, a.id, 100, 'grant', 'key-1', 'req-1'),
      admins.add(admin.id, a.id, 100, 'grant', 'key-1', 'req-1 again'),
      admins.add(admin.id, a.id, -500, 'too much', undefined, 'req-2'),
      admins.add(admin.id, a.id, -30, 'fix', undefined, 'req-3'),
      admins.add(admin.id, b.id, 7, 'other', undefined, 'req-4'),
    ];
    await opener;
    const results = await Promise.allSettled(batch);
    const after = await batchesObserved();
    expect([after.count - before.count, after.sum - before.sum]).toEqual([2, 1 + batch.length]);
    expect(results.map((r) => (r.status === 'rejected' ? (r.reason as { code: string }).code : r.value.result.duplicate))).toEqual([
      false,
      true,
      'INSUFFICIENT_POINTS',
      false,
      false,
    ]);
    const written = (i: number) => (results[i] as PromiseFulfilledResult<Awaited<(typeof batch)[number]>>).value.result.transaction.id;
    const audited = async (userId: string) =>
      (await rowsFor(userId)).map((r: { action: string; details: { transactionId: string }; requestId: string; after: object }) => ({
        action: r.action,
        transactionId: r.details.transactionId,
        requestId: r.requestId,
        after: r.after,
      }));
    expect(await audited(a.id)).toEqual(
      expect.arrayContaining([
        { action: 'points.added', transactionId: expect.any(String), requestId: 'req-opener', after: expect.objectContaining({ available: 10 }) },
        { action: 'points.added', transactionId: written(0), requestId: 'req-1', after: expect.objectContaining({ available: 110 }) },
        { action: 'points.deducted', transactionId: written(3), requestId: 'req-3', after: expect.objectContaining({ available: 80 }) },
      ]),
    );
    expect(await audited(a.id)).toHaveLength(3);
    expect(await audited(b.id)).toEqual([{ action: 'points.added', transactionId: written(4), requestId: 'req-4', after: expect.objectContaining({ available: 7 }) }]);
  });

  it('rolls back only the grant of a batch whose audit row cannot be written', async () => {
    const [a, b] = [await createTestUser(t.app), await createTestUser(t.app)];
    const admins = t.app.get(AdminPointsService);
    await whileAuditRefuses('refused by audit', async () => {
      const opener = admins.add(admin.id, a.id, 10, 'opener');
      const batch = [admins.add(admin.id, a.id, 20, 'kept'), admins.add(admin.id, b.id, 40, 'refused by audit'), admins.add(admin.id, b.id, 5, 'kept')];
      await opener;
      const results = await Promise.allSettled(batch);
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
      const [entries] = await db.query(`SELECT count(*)::int AS n, COALESCE(sum(amount), 0)::int AS sum FROM point_transactions WHERE user_id = $1`, [b.id]);
      expect(entries).toEqual({ n: 1, sum: 5 });
      expect((await rowsFor(a.id)).map((r: { details: { reason: string } }) => r.details.reason).sort()).toEqual(['kept', 'opener']);
      expect((await rowsFor(b.id)).map((r: { details: { amount: number } }) => r.details.amount)).toEqual([5]);
    });
  });

  it('records approvals and rejections with the note, and nothing when the review fails after writing it', async () => {
    const approved = (await referralChain(t.app, { referrer: 'flagged' })).referral;
    const rejected = (await referralChain(t.app, { referrer: 'flagged' })).referral;
    const failed = (await referralChain(t.app, { referrer: 'flagged' })).referral;
    await t.http.post(`/api/admin/referrals/${approved}/approve`).set(auth(admin)).send({ note: 'checked: siblings on one router' }).expect(200);
    await t.http.post(`/api/admin/referrals/${rejected}/reject`).set(auth(admin)).expect(200);
    expect(await rowsFor(approved)).toEqual([
      expect.objectContaining({
        actor: { id: admin.id, email: admin.email },
        action: 'referral.approved',
        target: { type: 'referral', id: approved },
        before: { status: 'flagged' },
        after: { status: 'pending' },
        details: { note: 'checked: siblings on one router' },
        requestId: expect.any(String),
      }),
    ]);
    expect(await rowsFor(rejected)).toEqual([
      expect.objectContaining({ action: 'referral.rejected', before: { status: 'flagged' }, after: { status: 'rejected' }, details: {} }),
    ]);

    const tooLong = await t.http.post(`/api/admin/referrals/${failed}/approve`).set(auth(admin)).send({ note: 'x'.repeat(501) });
    expect(tooLong.status).toBe(400);
    const unknown = await t.http.post(`/api/admin/referrals/${failed}/approve`).set(auth(admin)).send({ note: 'ok', extra: 1 });
    expect(unknown.status).toBe(400);

    // The audit row is written, then the review fails before commit: neither may remain.
    const spy = vi.spyOn(t.app.get(ReferralReviewRepository), 'findOne').mockRejectedValueOnce(new Error('fault after the audit row'));
    try {
      const res = await t.http.post(`/api/admin/referrals/${failed}/reject`).set(auth(admin)).send({ note: 'never kept' });
      expect(res.status).toBe(500);
    } finally {
      spy.mockRestore();
    }
    expect(await rowsFor(failed)).toEqual([]);
    const [{ status }] = await db.query(`SELECT status FROM referrals WHERE id = $1`, [failed]);
    expect(status).toBe('flagged');
  });

  it('records users:promote and users:demote with the actor "cli"', async () => {
    const target = await createTestUser(t.app, { email: 'audit-cli@example.com' });
    await usersPromoteCommand.run(cli(), ['AUDIT-CLI@example.com'], () => undefined);
    await usersDemoteCommand.run(cli(), ['audit-cli@example.com'], () => undefined);
    await expect(usersPromoteCommand.run(cli(), ['nobody-audit@example.com'], () => undefined)).rejects.toThrow(/no active user/);
    expect(await rowsFor(target.id)).toEqual([
      expect.objectContaining({ actor: 'cli', action: 'user.demoted', target: { type: 'user', id: target.id }, before: { role: 'admin' }, after: { role: 'user' }, requestId: null }),
      expect.objectContaining({ actor: 'cli', action: 'user.promoted', target: { type: 'user', id: target.id }, before: { role: 'user' }, after: { role: 'admin' }, requestId: null }),
    ]);
    const [{ role }] = await db.query(`SELECT role FROM users WHERE id = $1`, [target.id]);
    expect(role).toBe('user');
  });

  it('filters by action and pages newest first without duplicates or gaps', async () => {
    const target = await createTestUser(t.app);
    for (let i = 0; i < 5; i++) await usersPromoteCommand.run(cli(), [target.email], () => undefined);
    const expected = (
      await db.query(`SELECT id FROM audit_log WHERE action = 'user.promoted' ORDER BY created_at DESC, id DESC`)
    ).map((r: { id: string }) => r.id);
    expect(expected.length).toBeGreaterThanOrEqual(5);
    for (const limit of [1, 2, 3, 100]) {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const { body }: { body: { items: Array<{ id: string; action: string }>; nextCursor: string | null } } = await log(`action=user.promoted&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`).expect(200);
        expect(body.items.length).toBeLessThanOrEqual(limit);
        expect(body.items.every((i: { action: string }) => i.action === 'user.promoted')).toBe(true);
        seen.push(...body.items.map((i: { id: string }) => i.id));
        cursor = body.nextCursor;
      } while (cursor);
      expect(seen, `limit ${limit}`).toEqual(expected);
    }
    const both = await log(`action=user.promoted&targetId=${target.id}&limit=100`).expect(200);
    expect(both.body.items).toHaveLength(5);
    expect((await log(`action=points.added&targetId=${target.id}`).expect(200)).body.items).toEqual([]);
  });

  it('answers 400 for an unknown action, a bad targetId, limit or cursor', async () => {
    for (const q of ['action=points.stolen', 'action=', 'targetId=', `targetId=${'x'.repeat(256)}`, 'limit=0', 'limit=101', 'cursor=abc', 'foo=1']) {
      const res = await log(q);
      expect(res.status, q).toBe(400);
      expect(res.body.code, q).toBe('VALIDATION_FAILED');
    }
  });

  it('refuses to UPDATE, DELETE or TRUNCATE audit rows', async () => {
    await usersPromoteCommand.run(cli(), [admin.email], () => undefined);
    const before = await db.query(`SELECT * FROM audit_log ORDER BY id`);
    expect(before.length).toBeGreaterThan(0);
    await expect(db.query(`UPDATE audit_log SET action = 'user.demoted'`)).rejects.toThrow(/append-only/);
    await expect(db.query(`UPDATE audit_log SET details = '{}'::jsonb WHERE id = $1`, [before[0].id])).rejects.toThrow(/append-only/);
    await expect(db.query(`DELETE FROM audit_log WHERE id = $1`, [before[0].id])).rejects.toThrow(/append-only/);
    await expect(db.query(`TRUNCATE audit_log`)).rejects.toThrow(/append-only/);
    expect(await db.query(`SELECT * FROM audit_log ORDER BY id`)).toEqual(before);
  });
});
