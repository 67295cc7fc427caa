import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAppConfig } from '../src/config/app-config';
import { checkLedger } from '../src/points/ledger-check';
import { jobsIdle, referralChain, signedPost } from './utils/purchase-webhooks';
import { createTestApp, TestApp } from './utils/test-app';
import { auth, createTestUser, TestUser } from './utils/test-users';

describe('versioned reward rules', () => {
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

  const base = {
    refereeBonus: 100,
    referrerBonus: 100,
    commissionPercent: 5,
    secondLevelPercent: 1,
    minPurchaseAmount: 0,
    commissionWindowMonths: 12,
    holdingDays: 0,
  };
  const create = (body: object, requestId?: string) => {
    const req = t.http.post('/api/admin/reward-rules').set(auth(admin));
    if (requestId) req.set('X-Request-Id', requestId);
    return req.send(body);
  };
  const list = async () => (await t.http.get('/api/admin/reward-rules').set(auth(admin)).expect(200)).body;
  const preview = (body: object) => t.http.post('/api/admin/reward-rules/preview').set(auth(admin)).send(body);
  const withdraw = (version: number | string) => t.http.delete(`/api/admin/reward-rules/${version}`).set(auth(admin));

  async function purchase(buyerId: string, amount: number, fields: Record<string, unknown> = {}) {
    const body = { orderId: `o-${randomUUID()}`, userId: buyerId, amount, currency: 'USD', ...fields };
    await signedPost(t.http, '/api/purchases/completed', body).expect(202);
    await jobsIdle(t.app);
    const [p] = await db.query(`SELECT id FROM purchases WHERE order_id = $1`, [body.orderId]);
    return p.id as string;
  }

  /** The awards the worker wrote for a purchase, with their ledger entries. */
  async function awardsOf(purchaseId: string) {
    return db.query(
      `SELECT a.role, a.level::int AS level, a.amount::int AS amount, a.release_after, a.rules_version, a.user_id,
              t.amount::int AS ledger_amount, t.status, t.metadata
         FROM purchase_awards a JOIN point_transactions t ON t.id = a.ledger_entry_id
        WHERE a.purchase_id = $1 ORDER BY a.level, a.role`,
      [purchaseId],
    ) as Promise<Array<{ role: string; level: number; amount: number; release_after: Date | null; rules_version: number; user_id: string; ledger_amount: number; status: string; metadata: any }>>;
  }

  it('seeds version 1 from REWARD_*, and a purchase completed before a new version keeps the old rules even when processed after', async () => {
    const { rewards } = loadAppConfig();
    const before = await list();
    expect(before.active).toMatchObject({
      version: 1,
      refereeBonus: rewards.refereeBonus,
      referrerBonus: rewards.referrerBonus,
      commissionPercent: rewards.commissionBasisPoints / 100,
      secondLevelPercent: rewards.secondLevelBasisPoints / 100,
      minPurchaseAmount: rewards.minPurchaseAmount,
      commissionWindowMonths: rewards.commissionWindowMonths,
      holdingDays: rewards.holdingDays,
      maxCommissionPerReferral: null,
      createdBy: null,
    });
    expect(before.scheduled).toEqual([]);
    expect(before.history).toEqual([]);

    const v2 = (await create({ ...base, refereeBonus: 7, referrerBonus: 9, commissionPercent: 12.5, secondLevelPercent: 2.25, note: 'summer' }).expect(201)).body;
    expect(v2).toMatchObject({ version: 2, refereeBonus: 7, commissionPercent: 12.5, secondLevelPercent: 2.25, createdBy: admin.id, note: 'summer' });
    expect(Math.abs(Date.parse(v2.effectiveFrom) - Date.now())).toBeLessThan(10_000);
    const after = await list();
    expect(after.active.version).toBe(2);
    expect(after.history.map((v: any) => v.version)).toEqual([1]);

    const old = await referralChain(t.app);
    const completedAt = new Date(Date.parse(v2.effectiveFrom) - 60_000).toISOString();
    const oldAwards = await awardsOf(await purchase(old.buyer.id, 10_000, { completedAt }));
    expect(oldAwards.map((a) => [a.role, a.level, a.amount])).toEqual([
      ['referee', 0, rewards.refereeBonus],
      ['commission', 1, Math.floor((10_000 * rewards.commissionBasisPoints) / 10_000)],
      ['referrer', 1, rewards.referrerBonus],
      ['commission', 2, Math.floor((10_000 * rewards.secondLevelBasisPoints) / 10_000)],
    ]);
    expect(oldAwards.every((a) => a.rules_version === 1 && a.metadata.rulesVersion === 1)).toBe(true);

    const fresh = await referralChain(t.app);
    const newAwards = await awardsOf(await purchase(fresh.buyer.id, 10_000));
    expect(newAwards.map((a) => [a.role, a.level, a.amount])).toEqual([
      ['referee', 0, 7],
      ['commission', 1, 1_250],
      ['referrer', 1, 9],
      ['commission', 2, 225],
    ]);
    expect(newAwards.every((a) => a.rules_version === 2 && a.metadata.rulesVersion === 2)).toBe(true);
  });

  it('answers 401 anonymous and 403 for non-admins on every call', async () => {
    const calls = [
      () => t.http.get('/api/admin/reward-rules'),
      () => t.http.post('/api/admin/reward-rules').send(base),
      () => t.http.post('/api/admin/reward-rules/preview').send({ amount: 100, currency: 'USD', firstPurchase: true }),
      () => t.http.delete('/api/admin/reward-rules/1'),
    ];
    for (const call of calls) {
      expect((await call()).status).toBe(401);
      const forbidden = await call().set(auth(user));
      expect(forbidden.status).toBe(403);
      expect(forbidden.body.code).toBe('FORBIDDEN');
    }
  });

  it('answers 400 VALIDATION_FAILED for bad versions and creates nothing', async () => {
    const count = async () => (await db.query(`SELECT count(*)::int AS n FROM reward_rule_versions`))[0].n;
    const n = await count();
    const { refereeBonus: _omitted, ...missing } = base;
    const bad: object[] = [
      missing,
      { ...base, commissionPercent: 100.01 },
      { ...base, commissionPercent: -0.01 },
      { ...base, commissionPercent: 1.234 },
      { ...base, secondLevelPercent: 101 },
      { ...base, secondLevelPercent: '5' },
      { ...base, refereeBonus: 1_000_001 },
      { ...base, referrerBonus: -1 },
      { ...base, referrerBonus: 1.5 },
      { ...base, minPurchaseAmount: -1 },
      { ...base, holdingDays: 366 },
      { ...base, commissionWindowMonths: -1 },
      { ...base, maxCommissionPerReferral: -5 },
      { ...base, maxCommissionPerReferral: 'lots' },
      { ...base, effectiveFrom: new Date(Date.now() - 3_600_000).toISOString() },
      { ...base, effectiveFrom: 'tomorrow' },
      { ...base, note: 'x'.repeat(501) },
      { ...base, version: 99 },
    ];
    for (const body of bad) {
      const res = await create(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
    }
    const past = await create({ ...base, effectiveFrom: new Date(Date.now() - 3_600_000).toISOString() });
    expect(past.body.message).toMatch(/effectiveFrom must not be in the past/);
    const decimals = await create({ ...base, commissionPercent: 1.234 });
    expect(JSON.stringify(decimals.body)).toMatch(/commissionPercent must be a number from 0 to 100 with at most 2 decimals/);
    expect(await count()).toBe(n);

    for (const body of [{ currency: 'USD', firstPurchase: true }, { amount: 0, currency: 'USD', firstPurchase: true }, { amount: 100, currency: 'usd', firstPurchase: true },
      { amount: 100, currency: 'USD', firstPurchase: 'yes' }, { amount: 100, currency: 'USD', firstPurchase: true, version: 0 }]) {
      const res = await preview(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
    }
    const unknown = await preview({ amount: 100, currency: 'USD', firstPurchase: true, version: 9_999 });
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe('RULES_VERSION_NOT_FOUND');

    // Draft rules (the new-version form's live preview) are validated as a new version's are.
    const draft = { refereeBonus: 7, referrerBonus: 3, commissionPercent: 10, secondLevelPercent: 0, minPurchaseAmount: 0, commissionWindowMonths: 0, holdingDays: 0 };
    for (const rules of [{ ...draft, commissionPercent: 101 }, { ...draft, refereeBonus: -1 }, { ...draft, holdingDays: undefined }, { ...draft, effectiveFrom: new Date().toISOString() }, 'x']) {
      const res = await preview({ amount: 100, currency: 'USD', firstPurchase: true, rules });
      expect(res.status, JSON.stringify(rules)).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
    }
    const both = await preview({ amount: 100, currency: 'USD', firstPurchase: true, version: 1, rules: draft });
    expect([both.status, both.body.code]).toEqual([400, 'VALIDATION_FAILED']);
    const drafted = (await preview({ amount: 10_000, currency: 'USD', firstPurchase: true, rules: draft }).expect(200)).body;
    expect(drafted.version).toBeNull();
    expect(drafted.awards).toEqual([
      { role: 'referee', level: 0, points: 7, heldUntil: null },
      { role: 'referrer', level: 1, points: 3, heldUntil: null },
      { role: 'commission', level: 1, points: 1_000, heldUntil: null },
    ]);
    expect(await count()).toBe(n);
  });

  it('schedules a version, withdraws it before it takes effect (audited), and refuses to withdraw one in force', async () => {
    const effectiveFrom = new Date(Date.now() + 3_600_000).toISOString();
    const scheduled = (await create({ ...base, refereeBonus: 1, effectiveFrom, maxCommissionPerReferral: 500 }, 'req-rules-create').expect(201)).body;
    expect(scheduled.effectiveFrom).toBe(effectiveFrom);
    const listed = await list();
    expect(listed.scheduled.map((v: any) => v.version)).toEqual([scheduled.version]);
    expect(listed.active.version).not.toBe(scheduled.version);
    // Not in force yet: a preview of "now" runs the active version, and the scheduled one can be previewed by number.
    expect((await preview({ amount: 1_000, currency: 'USD', firstPurchase: true }).expect(200)).body.version).toBe(listed.active.version);
    const ahead = (await preview({ amount: 1_000, currency: 'USD', firstPurchase: true, version: scheduled.version }).expect(200)).body;
    expect(ahead.awards.find((a: any) => a.role === 'referee')).toEqual({ role: 'referee', level: 0, points: 1, heldUntil: null });

    await withdraw(scheduled.version).set('X-Request-Id', 'req-rules-withdraw').expect(204);
    const afterWithdrawal = await list();
    expect(afterWithdrawal.scheduled).toEqual([]);
    expect([afterWithdrawal.active, ...afterWithdrawal.history].map((v: any) => v.version)).not.toContain(scheduled.version);
    expect((await withdraw(scheduled.version)).status).toBe(404);

    const inForce = await withdraw(listed.active.version);
    expect(inForce.status).toBe(409);
    expect(inForce.body.code).toBe('RULES_IN_FORCE');
    expect((await withdraw(1)).body.code).toBe('RULES_IN_FORCE');
    for (const id of [9_999, 'abc', '0', '-1']) {
      const res = await withdraw(id);
      expect(res.status, String(id)).toBe(404);
      expect(res.body.code).toBe('RULES_VERSION_NOT_FOUND');
    }

    const log = (await t.http.get(`/api/admin/audit-log?targetId=${scheduled.version}&limit=100`).set(auth(admin)).expect(200)).body.items;
    const ours = log.filter((e: any) => e.target.type === 'rules');
    expect(ours.map((e: any) => e.action)).toEqual(['rules.withdrawn', 'rules.created']);
    const [withdrawn, created] = ours;
    expect(created).toMatchObject({
      actor: { id: admin.id, email: admin.email },
      target: { type: 'rules', id: String(scheduled.version) },
      before: null,
      after: { version: scheduled.version, refereeBonus: 1, maxCommissionPerReferral: 500, effectiveFrom, withdrawnAt: null },
      requestId: 'req-rules-create',
    });
    expect(withdrawn).toMatchObject({ before: { withdrawnAt: null }, after: { version: scheduled.version }, requestId: 'req-rules-withdraw' });
    expect(withdrawn.after.withdrawnAt).toEqual(expect.any(String));
    expect((await t.http.get('/api/admin/audit-log?action=rules.created&limit=100').set(auth(admin)).expect(200)).body.items.length).toBeGreaterThan(0);
  });

  it('rewards a purchase whose completedAt is ahead of the clock under the version in force when it was accepted', async () => {
    const active = (await list()).active;
    const soon = (await create({ ...base, refereeBonus: 3, effectiveFrom: new Date(Date.now() + 120_000).toISOString() }).expect(201)).body;
    const { buyer } = await referralChain(t.app);
    const awards = await awardsOf(await purchase(buyer.id, 1_000, { completedAt: new Date(Date.now() + 180_000).toISOString() }));
    expect(awards.length).toBeGreaterThan(0);
    expect(awards.every((a) => a.rules_version === active.version)).toBe(true);
    // So the scheduled version rewarded nothing yet and can still be withdrawn.
    await withdraw(soon.version).expect(204);
  });

  it('keeps versions append-only in the database itself', async () => {
    await expect(db.query(`UPDATE reward_rule_versions SET referee_bonus = 5 WHERE version = 1`)).rejects.toThrow(/append-only/);
    await expect(db.query(`DELETE FROM reward_rule_versions WHERE version = 1`)).rejects.toThrow(/append-only/);
    await expect(db.query(`UPDATE reward_rule_versions SET withdrawn_at = now() WHERE version = 1`)).rejects.toThrow(/append-only/);
    const future = (await create({ ...base, effectiveFrom: new Date(Date.now() + 3_600_000).toISOString() }).expect(201)).body;
    await expect(db.query(`UPDATE reward_rule_versions SET withdrawn_at = now(), referee_bonus = 1 WHERE version = $1`, [future.version])).rejects.toThrow(/append-only/);
    await withdraw(future.version).expect(204);
    await expect(db.query(`UPDATE reward_rule_versions SET withdrawn_at = NULL WHERE version = $1`, [future.version])).rejects.toThrow(/append-only/);
  });

  it('caps the commissions one referee earns its referrer with maxCommissionPerReferral, level 2 untouched', async () => {
    const v = (await create({ ...base, refereeBonus: 0, referrerBonus: 0, commissionPercent: 10, secondLevelPercent: 1, maxCommissionPerReferral: 150 }).expect(201)).body;
    const { buyer, referrer, top } = await referralChain(t.app);
    const got: Array<Array<[string, number, number]>> = [];
    for (let i = 0; i < 3; i++) {
      const awards = await awardsOf(await purchase(buyer.id, 1_000));
      expect(awards.every((a) => a.rules_version === v.version)).toBe(true);
      got.push(awards.map((a) => [a.user_id === referrer.id ? 'referrer' : a.user_id === top.id ? 'top' : a.user_id, a.level, a.amount]));
    }
    expect(got).toEqual([
      [['referrer', 1, 100], ['top', 2, 10]],
      [['referrer', 1, 50], ['top', 2, 10]],
      [['top', 2, 10]],
    ]);
    // Another referee of the same referrer has a cap of its own.
    const other = await createTestUser(t.app);
    await db.query(`INSERT INTO referrals (referrer_id, referee_id, code, status, reasons) VALUES ($1, $2, 'TESTCODE', 'pending', '[]')`, [referrer.id, other.id]);
    await db.query(`UPDATE users SET referred_by_id = $2 WHERE id = $1`, [other.id, referrer.id]);
    const otherAwards = await awardsOf(await purchase(other.id, 1_000));
    expect(otherAwards.filter((a) => a.role === 'commission' && a.level === 1).map((a) => a.amount)).toEqual([100]);
    expect((await preview({ amount: 10_000, currency: 'USD', firstPurchase: false, version: v.version }).expect(200)).body.awards).toEqual([
      { role: 'commission', level: 1, points: 150, heldUntil: null },
      { role: 'commission', level: 2, points: 100, heldUntil: null },
    ]);
    expect(await checkLedger(db)).toEqual([]);
  });

  it('previews exactly what the worker awards, for 100 random versions and purchases', { timeout: 300_000 }, async () => {
    const percent = fc.integer({ min: 0, max: 10_000 }).map((bp) => bp / 100);
    const version = fc.record({
      refereeBonus: fc.integer({ min: 0, max: 1_000_000 }),
      referrerBonus: fc.integer({ min: 0, max: 1_000_000 }),
      commissionPercent: percent,
      secondLevelPercent: percent,
      minPurchaseAmount: fc.integer({ min: 0, max: 20_000 }),
      commissionWindowMonths: fc.integer({ min: 0, max: 24 }),
      holdingDays: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 365 })),
      maxCommissionPerReferral: fc.option(fc.integer({ min: 0, max: 2_000 }), { nil: null }),
    });
    const order = fc.record({ amount: fc.integer({ min: 1, max: 100_000 }), firstPurchase: fc.boolean() });

    await fc.assert(
      fc.asyncProperty(version, order, async (rules, { amount, firstPurchase }) => {
        const v = (await create(rules).expect(201)).body;
        const expected = (await preview({ amount, currency: 'EUR', firstPurchase, version: v.version }).expect(200)).body;
        expect(expected.version).toBe(v.version);

        const { buyer, referrer, top, referral } = await referralChain(t.app);
        if (!firstPurchase) {
          // An earlier order converted the referral; it earned nothing under these rules.
          const [earlier] = await db.query(`INSERT INTO purchases (order_id, user_id, amount, currency, completed_at) VALUES ($1, $2, 1, 'EUR', now()) RETURNING id`, [`o-${randomUUID()}`, buyer.id]);
          await db.query(`UPDATE referrals SET status = 'converted', converted_at = now(), converted_purchase_id = $2 WHERE id = $1`, [referral, earlier.id]);
        }
        const awards = await awardsOf(await purchase(buyer.id, amount, { currency: 'EUR' }));
        const beneficiary = { referee: buyer.id, referrer: referrer.id, commission: referrer.id };
        expect(awards.map((a) => ({ role: a.role, level: a.level, points: a.amount }))).toEqual(
          [...expected.awards].sort((a: any, b: any) => a.level - b.level || a.role.localeCompare(b.role)).map(({ heldUntil: _h, ...a }: any) => a),
        );
        for (const a of awards) {
          const planned = expected.awards.find((p: any) => p.role === a.role && p.level === a.level);
          expect(a.user_id).toBe(a.level === 2 ? top.id : beneficiary[a.role as keyof typeof beneficiary]);
          expect(a.ledger_amount).toBe(a.amount);
          expect(a.rules_version).toBe(v.version);
          expect(a.metadata.rulesVersion).toBe(v.version);
          // The preview's holding period runs from the preview, the worker's from when the order was recorded a moment later.
          if (planned.heldUntil === null) {
            expect(a.release_after).toBeNull();
            expect(a.status).toBe('posted');
          } else {
            expect(Math.abs(new Date(a.release_after!).getTime() - Date.parse(planned.heldUntil))).toBeLessThan(30_000);
            expect(a.status).toBe('pending');
          }
        }
      }),
      { numRuns: 100 },
    );
    expect(await checkLedger(db)).toEqual([]);
  });
});
