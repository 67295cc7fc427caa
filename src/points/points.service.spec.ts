import { INestApplicationContext } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthCoreModule } from '../auth/core/auth-core.module';
import { AppConfigModule } from '../config/config.module';
import { DatabaseModule } from '../database/database.module';
import { IdempotencyModule } from '../idempotency/idempotency.module';
import { JobsModule } from '../jobs/jobs.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { DomainEvent } from '../notifications/realtime-events';
import { RealtimeModule } from '../notifications/realtime.module';
import { RealtimeService } from '../notifications/realtime.service';
import { checkLedger } from './ledger-check';
import { PointsModule } from './points.module';
import { PointsService } from './points.service';

describe('PointsService', () => {
  let app: INestApplicationContext;
  let points: PointsService;
  let db: DataSource;
  const published: DomainEvent[] = [];

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [AppConfigModule, DatabaseModule, AuthCoreModule, RealtimeModule, JobsModule, NotificationsModule, IdempotencyModule, PointsModule],
    }).compile();
    app = await moduleRef.init();
    points = app.get(PointsService);
    db = app.get(DataSource);
    app.get(RealtimeService).publish = (events: DomainEvent[]) => void published.push(...events);
  });
  afterAll(() => app?.close());

  async function newUser(): Promise<string> {
    const email = `u-${randomUUID()}@example.com`;
    const [row] = await db.query(`INSERT INTO users (email, name) VALUES ($1, 'P') RETURNING id`, [email]);
    return row.id;
  }

  async function balances(userId: string) {
    const [row] = await db.query(
      `SELECT COALESCE(b.total, 0)::int AS total, COALESCE(b.available, 0)::int AS available, COALESCE(b.pending, 0)::int AS pending,
              COALESCE(b.debt, 0)::int AS debt, COALESCE(b.level, points_level(0)) AS level
       FROM users u LEFT JOIN point_balances b ON b.user_id = u.id WHERE u.id = $1`,
      [userId],
    );
    return row as { total: number; available: number; pending: number; debt: number; level: number };
  }

  const eventsOf = (userId: string, event: string) => published.filter((e) => e.userId === userId && e.event === event);

  describe('addPoints', () => {
    it('writes the entry with balance_after, raises total and level, and emits once after commit', async () => {
      const user = await newUser();
      const result = await points.addPoints({ userId: user, amount: 600, source: 'bonus', metadata: { why: 'test' }, idempotencyKey: `k-${randomUUID()}` });
      expect(result.duplicate).toBe(false);
      expect(result.transaction).toMatchObject({ userId: user, type: 'earn', amount: 600, balanceAfter: 600, status: 'posted' });
      expect(await balances(user)).toEqual({ total: 600, available: 600, pending: 0, debt: 0, level: 2 });
      expect(eventsOf(user, 'points-updated')).toHaveLength(1);
      expect(eventsOf(user, 'level-up')[0].payload).toEqual({ userId: user, previousLevel: 1, level: 2, levelName: 'Silver' });
      expect(eventsOf(user, 'new-notification')).toHaveLength(1);
      const [n] = await db.query(`SELECT count(*)::int AS c FROM notifications WHERE user_id = $1`, [user]);
      expect(n.c).toBe(1);
    });

    it('returns the original entry for a repeated key, changing nothing and emitting nothing', async () => {
      const user = await newUser();
      const key = `k-${randomUUID()}`;
      const first = await points.addPoints({ userId: user, amount: 10, source: 'bonus', metadata: {}, idempotencyKey: key });
      const again = await points.addPoints({ userId: user, amount: 10, source: 'bonus', metadata: {}, idempotencyKey: key });
      expect(again.duplicate).toBe(true);
      expect(again.transaction.id).toBe(first.transaction.id);
      expect((await balances(user)).available).toBe(10);
      expect(eventsOf(user, 'points-updated')).toHaveLength(1);
    });

    it('rejects bad amounts and unknown users', async () => {
      const user = await newUser();
      for (const bad of [0, -1, 1.5, 1_000_000_001, Number.NaN]) {
        await expect(points.addPoints({ userId: user, amount: bad, source: 'bonus', metadata: {}, idempotencyKey: `k-${randomUUID()}` })).rejects.toMatchObject({ code: 'INVALID_AMOUNT' });
      }
      await expect(points.addPoints({ userId: randomUUID(), amount: 5, source: 'bonus', metadata: {}, idempotencyKey: `k-${randomUUID()}` })).rejects.toMatchObject({ code: 'USER_NOT_FOUND' });
      await expect(points.addPoints({ userId: 'nope', amount: 5, source: 'bonus', metadata: {}, idempotencyKey: `k-${randomUUID()}` })).rejects.toMatchObject({ code: 'USER_NOT_FOUND' });
    });

    it('commits 200 concurrent awards to one user, the balance their sum, one level-up per crossing', async () => {
      const user = await newUser();
      const amounts = Array.from({ length: 200 }, (_, i) => 1 + (i % 50));
      const results = await Promise.all(amounts.map((a) => points.addPoints({ userId: user, amount: a, source: 'purchase', metadata: {}, idempotencyKey: `k-${randomUUID()}` })));
      const sum = amounts.reduce((s, a) => s + a, 0);
      expect(results.every((r) => !r.duplicate)).toBe(true);
      expect(await balances(user)).toMatchObject({ total: sum, available: sum, level: 4 });
      const levels = eventsOf(user, 'level-up').flatMap((e) => {
        const p = e.payload as { previousLevel: number; level: number };
        return Array.from({ length: p.level - p.previousLevel }, (_, i) => p.previousLevel + i + 1);
      });
      expect(levels.sort()).toEqual([2, 3, 4]);
      expect(eventsOf(user, 'points-updated')).toHaveLength(200);
    });

    it('writes one entry for one key sent 20 times concurrently', async () => {
      const user = await newUser();
      const key = `k-${randomUUID()}`;
      const results = await Promise.all(Array.from({ length: 20 }, () => points.addPoints({ userId: user, amount: 7, source: 'bonus', metadata: {}, idempotencyKey: key })));
      expect(new Set(results.map((r) => r.transaction.id)).size).toBe(1);
      expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
      const [c] = await db.query(`SELECT count(*)::int AS c FROM point_transactions WHERE idempotency_key = $1`, [key]);
      expect(c.c).toBe(1);
      expect((await balances(user)).available).toBe(7);
      expect(eventsOf(user, 'points-updated')).toHaveLength(1);
    });
  });

  describe('spend', () => {
    it('lets exactly 10 of 50 concurrent spends of 10 through against 100 available', async () => {
      const user = await newUser();
      await points.addPoints({ userId: user, amount: 100, source: 'bonus', metadata: {}, idempotencyKey: `k-${randomUUID()}` });
      const settled = await Promise.allSettled(
        Array.from({ length: 50 }, () => points.spend({ userId: user, amount: 10, source: 'admin', metadata: {}, idempotencyKey: `k-${randomUUID()}` })),
      );
      const ok = settled.filter((s) => s.status === 'fulfilled');
      const failed = settled.filter((s): s is PromiseRejectedResult => s.status === 'rejected');
      expect(ok).toHaveLength(10);
      expect(failed.every((f) => f.reason.code === 'INSUFFICIENT_POINTS')).toBe(true);
      expect(await balances(user)).toMatchObject({ available: 0, total: 100 });
    });
  });

  describe('hold, release, void and clawback', () => {
    it('keeps held points out of available and total until released; void drops them', async () => {
      const user = await newUser();
      const hold1 = `h-${randomUUID()}`;
      const hold2 = `h-${randomUUID()}`;
      await points.addPoints({ userId: user, amount: 50, source: 'purchase', metadata: {}, idempotencyKey: hold1, hold: true });
      await points.addPoints({ userId: user, amount: 30, source: 'purchase', metadata: {}, idempotencyKey: hold2, hold: true });
      expect(await balances(user)).toMatchObject({ available: 0, pending: 80, total: 0 });
      await points.releasePending({ idempotencyKey: hold1 });
      expect((await points.releasePending({ idempotencyKey: hold1 })).duplicate).toBe(true);
      await points.voidPending({ idempotencyKey: hold2 });
      expect(await balances(user)).toMatchObject({ available: 50, pending: 0, total: 50 });
      await expect(points.releasePending({ idempotencyKey: hold2 })).rejects.toMatchObject({ code: 'TRANSACTION_NOT_PENDING' });
      await expect(points.releasePending({ idempotencyKey: `h-${randomUUID()}` })).rejects.toMatchObject({ code: 'TRANSACTION_NOT_FOUND' });
    });

    it('records a clawback beyond available as debt that later earnings settle first', async () => {
      const user = await newUser();
      await points.addPoints({ userId: user, amount: 40, source: 'purchase', metadata: {}, idempotencyKey: `k-${randomUUID()}` });
      const claw = await points.clawback({ userId: user, amount: 100, source: 'purchase', metadata: {}, idempotencyKey: `k-${randomUUID()}` });
      expect(claw.transaction).toMatchObject({ type: 'clawback', amount: -100, balanceAfter: 0 });
      expect(await balances(user)).toMatchObject({ available: 0, debt: 60, total: -60 });
      await points.addPoints({ userId: user, amount: 100, source: 'purchase', metadata: {}, idempotencyKey: `k-${randomUUID()}` });
      expect(await balances(user)).toMatchObject({ available: 40, debt: 0, total: 40 });
      expect(await checkLedger(db)).toEqual([]);
    });

    it('claws back from a closed account, whose ledger is kept, while earning and spending there are refused', async () => {
      const user = await newUser();
      await points.addPoints({ userId: user, amount: 40, source: 'purchase', metadata: {}, idempotencyKey: `k-${randomUUID()}` });
      await db.query(`UPDATE users SET deleted_at = now() WHERE id = $1`, [user]);
      const claw = await points.clawback({ userId: user, amount: 100, source: 'purchase', metadata: {}, idempotencyKey: `k-${randomUUID()}` });
      expect(claw.transaction).toMatchObject({ type: 'clawback', amount: -100, balanceAfter: 0 });
      expect(await balances(user)).toMatchObject({ available: 0, debt: 60, total: -60 });
      await expect(points.addPoints({ userId: user, amount: 10, source: 'bonus', metadata: {}, idempotencyKey: `k-${randomUUID()}` })).rejects.toMatchObject({ code: 'USER_NOT_FOUND' });
      await expect(points.spend({ userId: user, amount: 1, source: 'admin', metadata: {}, idempotencyKey: `k-${randomUUID()}` })).rejects.toMatchObject({ code: 'USER_NOT_FOUND' });
      expect(await checkLedger(db)).toEqual([]);
    });
  });
});
