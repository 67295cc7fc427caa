import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Clock } from '../src/common/clock';
import { AppConfig, loadAppConfig } from '../src/config/app-config';
import { APP_CONFIG } from '../src/config/config.module';
import { MAIL_TRANSPORT } from '../src/mail/mail-transport';
import { checkLedger } from '../src/points/ledger-check';
import { PointsExpiryService } from '../src/points/points-expiry.service';
import { PointsService } from '../src/points/points.service';
import { WebhookSubscriptions } from '../src/webhooks/webhook-subscriptions';
import { MailOutbox } from './utils/mail-outbox';
import { ManualClock } from './utils/manual-clock';
import { createTestApp, TestApp } from './utils/test-app';
import { createTestUser, TestUser } from './utils/test-users';

const DAY = 24 * 60 * 60 * 1000;
const EXPIRY_DAYS = 30;
const REMINDER_DAYS = 7;

describe('points expiry lots', () => {
  let t: TestApp;
  let points: PointsService;
  let expiry: PointsExpiryService;
  let db: DataSource;
  let config: AppConfig;
  const clock = new ManualClock(Date.UTC(2030, 0, 1, 12));
  const outbox = new MailOutbox();

  beforeAll(async () => {
    config = loadAppConfig();
    config.pointsExpiry = { days: EXPIRY_DAYS, reminderDays: REMINDER_DAYS };
    t = await createTestApp({ customize: (b) => b.overrideProvider(Clock).useValue(clock).overrideProvider(APP_CONFIG).useValue(config).overrideProvider(MAIL_TRANSPORT).useValue(outbox) });
    points = t.app.get(PointsService);
    expiry = t.app.get(PointsExpiryService);
    db = t.app.get(DataSource);
  });
  afterAll(() => t?.close());
  beforeEach(() => {
    config.pointsExpiry = { days: EXPIRY_DAYS, reminderDays: REMINDER_DAYS };
  });

  const key = () => `exp:${randomUUID()}`;
  const earn = (userId: string, amount: number) => points.addPoints({ userId, amount, source: 'bonus', idempotencyKey: key() });
  const spend = (userId: string, amount: number) => points.spend({ userId, amount, source: 'admin', idempotencyKey: key() });
  const balances = async (userId: string) =>
    (await db.query(`SELECT total::int, available::int, debt::int FROM point_balances WHERE user_id = $1`, [userId]))[0];
  const lots = async (userId: string) =>
    (
      await db.query(`SELECT id, amount::int, remaining::int, expires_at FROM point_lots WHERE user_id = $1 ORDER BY expires_at NULLS LAST, created_at, id`, [
        userId,
      ])
    ).map((r: { id: string; amount: number; remaining: number; expires_at: Date | null }) => r);
  const expireEntries = async (userId: string) =>
    db.query(`SELECT amount::int, source, metadata FROM point_transactions WHERE user_id = $1 AND type = 'expire' ORDER BY created_at, id`, [userId]);
  const reminders = async (userId: string) =>
    db.query(`SELECT title, message FROM notifications WHERE user_id = $1 AND type = 'points-expiring' ORDER BY created_at, id`, [userId]);
  const clean = async () => expect(await checkLedger(db)).toEqual([]);
  const myPoints = async (u: TestUser) => (await t.http.get('/api/points/my-points').set('Authorization', `Bearer ${u.token}`).expect(200)).body;

  it('expires exactly the unspent part of each lot when the clock passes it, never touching total', async () => {
    // An endpoint that wants points.expired, so that the outbox keeps the event (its delivery is not this test's business).
    await db.query(`INSERT INTO webhook_endpoints (url, events, secret_encrypted) VALUES ('http://127.0.0.1:9/', '{points.expired}', '\\x00')`);
    await t.app.get(WebhookSubscriptions).refresh();
    const u = await createTestUser(t.app);
    const start = clock.now().getTime();
    await earn(u.id, 100);
    clock.advance(10 * DAY);
    await earn(u.id, 50);
    clock.advance(5 * DAY);
    await spend(u.id, 30);
    const [first, second] = await lots(u.id);
    expect([first.remaining, second.remaining]).toEqual([70, 50]);
    expect(new Date(first.expires_at).getTime()).toBe(start + EXPIRY_DAYS * DAY);

    clock.set(start + EXPIRY_DAYS * DAY - 1);
    await expiry.run();
    expect(await expireEntries(u.id)).toEqual([]);

    clock.set(start + EXPIRY_DAYS * DAY);
    await expiry.run();
    const at = clock.now().toISOString();
    expect(await expireEntries(u.id)).toEqual([{ amount: -70, source: 'system', metadata: { lots: [first.id], expiredAt: at } }]);
    expect(await balances(u.id)).toEqual({ total: 150, available: 50, debt: 0 });
    await clean();

    await expiry.run();
    expect(await expireEntries(u.id)).toHaveLength(1);

    clock.set(start + (10 + EXPIRY_DAYS) * DAY + 1);
    await expiry.run();
    expect((await expireEntries(u.id)).map((e: { amount: number }) => e.amount)).toEqual([-70, -50]);
    expect(await balances(u.id)).toEqual({ total: 150, available: 0, debt: 0 });
    expect((await lots(u.id)).map((l: { remaining: number }) => l.remaining)).toEqual([0, 0]);
    const events = await db.query(`SELECT data->>'expiredAt' AS at, (data->>'amount')::int AS amount FROM webhook_events WHERE type = 'points.expired' AND data->>'userId' = $1 ORDER BY created_at`, [u.id]);
    expect(events).toEqual([{ at, amount: -70 }, { at: clock.now().toISOString(), amount: -50 }]);
    await clean();
  });

  it('never creates debt: a clawback that emptied the lots leaves nothing to expire', async () => {
    const u = await createTestUser(t.app);
    await earn(u.id, 100);
    await points.clawback({ userId: u.id, amount: 150, source: 'purchase', idempotencyKey: key() });
    clock.advance((EXPIRY_DAYS + 1) * DAY);
    await expiry.run();
    expect(await expireEntries(u.id)).toEqual([]);
    expect(await balances(u.id)).toEqual({ total: -50, available: 0, debt: 50 });
    await earn(u.id, 80);
    expect((await lots(u.id)).map((l: { remaining: number }) => l.remaining)).toEqual([0, 30]);
    await clean();
  });

  it('opens a held credit’s lot when it is released, expiring from then', async () => {
    const u = await createTestUser(t.app);
    const k = key();
    await points.addPoints({ userId: u.id, amount: 40, source: 'purchase', idempotencyKey: k, hold: true });
    expect(await lots(u.id)).toEqual([]);
    clock.advance(3 * DAY);
    const released = clock.now().getTime();
    await points.releasePending({ idempotencyKey: k });
    const [lot] = await lots(u.id);
    expect(lot).toMatchObject({ amount: 40, remaining: 40 });
    expect(new Date(lot.expires_at).getTime()).toBe(released + EXPIRY_DAYS * DAY);
    await clean();
  });

  it('reminds once per lot, REMINDER_DAYS before, and my-points shows what expires first', async () => {
    const u = await createTestUser(t.app);
    const start = clock.now().getTime();
    await earn(u.id, 100);
    clock.advance(2 * DAY);
    await earn(u.id, 25);
    expect((await myPoints(u)).expiring).toBeNull();

    clock.set(start + (EXPIRY_DAYS - REMINDER_DAYS) * DAY - 1);
    await expiry.run();
    expect(await reminders(u.id)).toEqual([]);

    clock.set(start + (EXPIRY_DAYS - REMINDER_DAYS) * DAY);
    await expiry.run();
    await expiry.run();
    const firstDay = new Date(start + EXPIRY_DAYS * DAY).toISOString().slice(0, 10);
    expect(await reminders(u.id)).toEqual([{ title: `100 points expire on ${firstDay}`, message: expect.stringContaining(firstDay) }]);
    expect((await myPoints(u)).expiring).toEqual({ amount: 100, at: new Date(start + EXPIRY_DAYS * DAY).toISOString() });

    clock.advance(2 * DAY);
    await expiry.run();
    await expiry.run();
    expect(await reminders(u.id)).toHaveLength(2);
    expect((await reminders(u.id))[1].title).toMatch(/^25 points expire on /);
    const end = Date.now() + 15_000;
    while (outbox.to(u.email).length < 2 && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 300));
    expect(outbox.to(u.email).map((m) => m.subject)).toEqual([`100 of your points expire on ${firstDay}`, expect.stringMatching(/^25 of your points expire on /)]);
    await clean();
  });

  it('dates balances earned while expiry was off N days after it is turned on, not in the past', async () => {
    config.pointsExpiry = { days: 0, reminderDays: REMINDER_DAYS };
    const u = await createTestUser(t.app);
    await earn(u.id, 60);
    expect((await lots(u.id))[0].expires_at).toBeNull();
    clock.advance(400 * DAY);
    expect(await expiry.run()).toEqual({ dated: 0, expired: 0, reminded: 0 });
    expect((await myPoints(u)).expiring).toBeNull();

    config.pointsExpiry = { days: EXPIRY_DAYS, reminderDays: REMINDER_DAYS };
    const on = clock.now().getTime();
    await expiry.run();
    expect(new Date((await lots(u.id))[0].expires_at).getTime()).toBe(on + EXPIRY_DAYS * DAY);
    expect(await expireEntries(u.id)).toEqual([]);
    clock.set(on + EXPIRY_DAYS * DAY);
    await expiry.run();
    expect((await expireEntries(u.id)).map((e: { amount: number }) => e.amount)).toEqual([-60]);
    await clean();
  });

  it('lets a concurrent spend and expiry of the same lot take it once: never overdrawn, never expired twice', async () => {
    const users: TestUser[] = [];
    for (let i = 0; i < 12; i++) {
      const u = await createTestUser(t.app);
      await earn(u.id, 100);
      users.push(u);
    }
    clock.advance((EXPIRY_DAYS + 1) * DAY);
    const outcomes = await Promise.all(
      users.map(async (u) => {
        const [spent] = await Promise.allSettled([spend(u.id, 60), expiry.run(), expiry.run()]);
        return { u, spent: spent.status === 'fulfilled' };
      }),
    );
    for (const { u, spent } of outcomes) {
      const expired = await expireEntries(u.id);
      expect(expired.length).toBeLessThanOrEqual(1);
      const b = await balances(u.id);
      expect(b.available).toBeGreaterThanOrEqual(0);
      if (spent) {
        expect(expired.map((e: { amount: number }) => e.amount)).toEqual([-40]);
      } else {
        expect(expired.map((e: { amount: number }) => e.amount)).toEqual([-100]);
      }
      expect(b).toEqual({ total: 100, available: 0, debt: 0 });
    }
    await clean();
  });

  // Each earn runs under its own POINTS_EXPIRY_DAYS, so lots do not expire in the order they were opened.
  type Step =
    | { kind: 'earn'; amount: number; days: number }
    | { kind: 'spend' | 'clawback'; amount: number }
    | { kind: 'wait'; days: number };
  const step: fc.Arbitrary<Step> = fc.oneof(
    { arbitrary: fc.record({ kind: fc.constant<'earn'>('earn'), amount: fc.integer({ min: 1, max: 200 }), days: fc.integer({ min: 1, max: 60 }) }), weight: 3 },
    { arbitrary: fc.record({ kind: fc.constant<'spend'>('spend'), amount: fc.integer({ min: 1, max: 300 }) }), weight: 3 },
    { arbitrary: fc.record({ kind: fc.constant<'clawback'>('clawback'), amount: fc.integer({ min: 1, max: 150 }) }), weight: 1 },
    { arbitrary: fc.record({ kind: fc.constant<'wait'>('wait'), days: fc.integer({ min: 1, max: 20 }) }), weight: 2 },
  );
  /** What each expiry instant holds: lots expiring together are interchangeable, so only their sum is the model's. */
  const byExpiry = (rows: Array<{ expiresAt: number; remaining: number }>) => {
    const sums = new Map<number, number>();
    for (const r of rows) sums.set(r.expiresAt, (sums.get(r.expiresAt) ?? 0) + r.remaining);
    return [...sums].sort(([a], [b]) => a - b);
  };

  it('draws debits soonest-expiry first and expires what the model says (fast-check)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 3, maxLength: 25 }), async (steps) => {
        const u = await createTestUser(t.app);
        const model: Array<{ expiresAt: number; remaining: number }> = [];
        let expired = 0;
        let debt = 0;
        const available = () => model.reduce((n, l) => n + l.remaining, 0);
        const take = (amount: number) => {
          let left = amount;
          for (const l of [...model].sort((a, b) => a.expiresAt - b.expiresAt)) {
            const n = Math.min(l.remaining, left);
            l.remaining -= n;
            left -= n;
          }
        };
        for (const s of steps) {
          const now = clock.now().getTime();
          if (s.kind === 'wait') {
            clock.advance(s.days * DAY);
            await expiry.run();
            const due = model.filter((l) => l.expiresAt <= clock.now().getTime());
            expired += due.reduce((n, l) => n + l.remaining, 0);
            for (const l of due) l.remaining = 0;
          } else if (s.kind === 'earn') {
            config.pointsExpiry = { days: s.days, reminderDays: REMINDER_DAYS };
            await earn(u.id, s.amount);
            const settled = Math.min(debt, s.amount);
            debt -= settled;
            if (s.amount > settled) model.push({ expiresAt: now + s.days * DAY, remaining: s.amount - settled });
          } else if (s.kind === 'clawback') {
            await points.clawback({ userId: u.id, amount: s.amount, source: 'purchase', idempotencyKey: key() });
            const taken = Math.min(s.amount, available());
            take(taken);
            debt += s.amount - taken;
          } else {
            const result = await spend(u.id, s.amount).then(
              () => 'ok',
              (e: { code?: string }) => e.code,
            );
            if (s.amount > available()) {
              expect(result).toBe('INSUFFICIENT_POINTS');
              continue;
            }
            expect(result).toBe('ok');
            take(s.amount);
          }
        }
        const actual = (await lots(u.id)).map((l: { remaining: number; expires_at: Date }) => ({ expiresAt: new Date(l.expires_at).getTime(), remaining: l.remaining }));
        expect(byExpiry(actual)).toEqual(byExpiry(model));
        const sumExpired = (await expireEntries(u.id)).reduce((n: number, e: { amount: number }) => n - e.amount, 0);
        expect(sumExpired).toBe(expired);
        const b = (await balances(u.id)) ?? { available: 0, debt: 0 };
        expect({ available: b.available, debt: b.debt }).toEqual({ available: available(), debt });
        await clean();
      }),
      { numRuns: 25 },
    );
  });
});
