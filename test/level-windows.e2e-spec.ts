import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { Clock } from '../src/common/clock';
import { AppConfig, loadAppConfig } from '../src/config/app-config';
import { APP_CONFIG } from '../src/config/config.module';
import { RealtimeService } from '../src/notifications/realtime.service';
import { LevelEvaluationService } from '../src/points/level-evaluation.service';
import { addMonths, evaluationDropping, nextEvaluation } from '../src/points/level-window';
import { checkLedger } from '../src/points/ledger-check';
import { PointsService } from '../src/points/points.service';
import { WebhookSubscriptions } from '../src/webhooks/webhook-subscriptions';
import { ManualClock } from './utils/manual-clock';
import { createTestApp, TestApp } from './utils/test-app';
import { createTestUser, TestUser } from './utils/test-users';

const MONTHS = 12;
const DAY = 24 * 60 * 60 * 1000;
// Tiers (level-tiers.json): Bronze 0, Silver 500, Gold 2000, Platinum 5000, Diamond 15000.

describe('level windows (LEVEL_WINDOW_MONTHS)', () => {
  let t: TestApp;
  let db: DataSource;
  let points: PointsService;
  let evaluation: LevelEvaluationService;
  let config: AppConfig;
  // Ledger entries take the clock's time; it starts at the real time so that both agree at first.
  const clock = new ManualClock(Date.now());

  beforeAll(async () => {
    config = { ...loadAppConfig(), levelWindowMonths: MONTHS };
    t = await createTestApp({ customize: (b) => b.overrideProvider(Clock).useValue(clock).overrideProvider(APP_CONFIG).useValue(config) });
    db = t.app.get(DataSource);
    points = t.app.get(PointsService);
    evaluation = t.app.get(LevelEvaluationService);
    // An endpoint that wants level.changed, so that the outbox keeps those events.
    await db.query(`INSERT INTO webhook_endpoints (url, events, secret_encrypted) VALUES ('http://127.0.0.1:9/', '{level.changed}', '\\x00')`);
    await t.app.get(WebhookSubscriptions).refresh();
  });
  afterAll(() => t?.close());
  beforeEach(() => {
    config.levelWindowMonths = MONTHS;
  });

  const key = () => `lw:${randomUUID()}`;
  const earn = (userId: string, amount: number) => points.addPoints({ userId, amount, source: 'bonus', idempotencyKey: key() });
  const clawback = (userId: string, amount: number) => points.clawback({ userId, amount, source: 'purchase', idempotencyKey: key() });
  const level = async (userId: string) => (await db.query(`SELECT level, qualifying::int FROM point_balances WHERE user_id = $1`, [userId]))[0];
  const notes = async (userId: string, type: string) =>
    db.query(`SELECT title FROM notifications WHERE user_id = $1 AND type = $2 ORDER BY created_at, id`, [userId, type]);
  const changes = async (userId: string) =>
    db.query(
      `SELECT (data->>'previousLevel')::int AS "from", (data->>'level')::int AS "to", data->>'direction' AS direction
       FROM webhook_events WHERE type = 'level.changed' AND data->>'userId' = $1 ORDER BY created_at, id`,
      [userId],
    );
  const myPoints = async (u: TestUser) => (await t.http.get('/api/points/my-points').set('Authorization', `Bearer ${u.token}`).expect(200)).body;
  const clean = async () => expect(await checkLedger(db)).toEqual([]);
  /** Runs the evaluation at the first scheduled time after the clock's, where the job would. */
  const evaluateNext = async () => {
    clock.set(nextEvaluation(clock.now()));
    return evaluation.run();
  };

  it('raises the level at once, never lowers it between evaluations, and lowers it one tier at an evaluation', async () => {
    const emit = vi.spyOn(t.app.get(RealtimeService), 'emitToUser');
    const u = await createTestUser(t.app);
    await earn(u.id, 2_100);
    expect(await level(u.id)).toEqual({ level: 3, qualifying: 2_100 });
    await clawback(u.id, 1_900);
    // A clawback lowers the qualifying points, not the level: only the evaluation does.
    expect(await level(u.id)).toEqual({ level: 3, qualifying: 200 });
    await clean();

    expect(await evaluateNext()).toMatchObject({ lowered: 1 });
    // Gold → Silver, not straight to Bronze where 200 points would put it.
    expect(await level(u.id)).toEqual({ level: 2, qualifying: 200 });
    expect(await notes(u.id, 'level-down')).toEqual([{ title: 'Your level is now Silver' }]);
    const downs = () => emit.mock.calls.filter(([userId, event]) => userId === u.id && event === 'level-down').map(([, , payload]) => payload);
    expect(downs()).toEqual([{ userId: u.id, previousLevel: 3, level: 2, levelName: 'Silver' }]);
    await clean();

    // The job retried at the same time moves nobody again.
    expect(await evaluation.run()).toMatchObject({ lowered: 0, evaluated: 0 });
    expect(await notes(u.id, 'level-down')).toHaveLength(1);

    await evaluateNext();
    expect(await level(u.id)).toEqual({ level: 1, qualifying: 200 });
    expect(downs()).toHaveLength(2);
    expect(await changes(u.id)).toEqual([
      { from: 1, to: 3, direction: 'up' },
      { from: 3, to: 2, direction: 'down' },
      { from: 2, to: 1, direction: 'down' },
    ]);
    await evaluateNext();
    expect(downs()).toHaveLength(2);
    await clean();
    emit.mockRestore();
  });

  it('lets points leave the window: a year on, what was earned then no longer holds the level', async () => {
    const u = await createTestUser(t.app);
    // Earned between two evaluations (not on one), so that its day in the window is not a boundary case.
    clock.advance(5 * 3_600_000);
    const start = clock.now();
    await earn(u.id, 600);
    await evaluateNext();
    expect(await level(u.id)).toEqual({ level: 2, qualifying: 600 });

    clock.set(addMonths(start, MONTHS).getTime() - DAY);
    await evaluateNext();
    expect(await level(u.id)).toEqual({ level: 2, qualifying: 600 });

    clock.set(evaluationDropping(start, MONTHS).getTime() - 1);
    await evaluateNext();
    expect(await level(u.id)).toEqual({ level: 1, qualifying: 0 });
    expect((await myPoints(u)).total).toBe(600);
    await clean();
  });

  it('shows the qualifying points, what is still to earn and until when in my-points', async () => {
    const u = await createTestUser(t.app);
    const first = clock.now();
    await earn(u.id, 300);
    clock.advance(30 * DAY);
    const second = clock.now();
    await earn(u.id, 300);
    await evaluateNext();

    let mine = await myPoints(u);
    expect(mine.level.name).toBe('Silver');
    expect(mine.qualifyingPoints).toBe(600);
    // Safe at the next evaluation; the first 300 leaving the window drops it under Silver's 500.
    expect(mine.pointsToRetain).toBe(0);
    expect(mine.retainUntil).toBe(evaluationDropping(first, MONTHS).toISOString());
    expect(mine.pointsToNextLevel).toBe(2_000 - 600);

    // The evening before that evaluation, 200 more are needed by it.
    clock.set(evaluationDropping(first, MONTHS).getTime() - 3_600_000);
    mine = await myPoints(u);
    expect(mine.pointsToRetain).toBe(200);
    expect(mine.retainUntil).toBe(evaluationDropping(first, MONTHS).toISOString());
    await earn(u.id, 250);
    mine = await myPoints(u);
    expect(mine.pointsToRetain).toBe(0);
    // Now the second 300 leaving is what would drop it (250 alone is under 500).
    expect(mine.retainUntil).toBe(evaluationDropping(second, MONTHS).toISOString());
    await evaluateNext();
    expect(await level(u.id)).toEqual({ level: 2, qualifying: 550 });
    await clean();
  });

  it('counts a held award when it is released, and shows nothing extra at the lowest tier', async () => {
    const u = await createTestUser(t.app);
    const k = key();
    await points.addPoints({ userId: u.id, amount: 700, source: 'purchase', idempotencyKey: k, hold: true });
    expect(await level(u.id)).toEqual({ level: 1, qualifying: 0 });
    expect(await myPoints(u)).toMatchObject({ qualifyingPoints: 0, pointsToRetain: 0, retainUntil: null });
    await points.releasePending({ idempotencyKey: k });
    expect(await level(u.id)).toEqual({ level: 2, qualifying: 700 });
    expect(await notes(u.id, 'level-reached')).toEqual([{ title: 'Silver reached' }]);
    await clean();
  });

  it('keeps lifetime levels exactly as before when the window is 0, and goes back to them when it is turned off', async () => {
    config.levelWindowMonths = 0;
    const life = await createTestUser(t.app);
    await earn(life.id, 2_100);
    await clawback(life.id, 1_900);
    // Lifetime: the level follows the total both ways, at once.
    expect(await db.query(`SELECT level, window_from, qualifying FROM point_balances WHERE user_id = $1`, [life.id])).toEqual([
      { level: 1, window_from: null, qualifying: null },
    ]);
    expect(await myPoints(life)).toMatchObject({ qualifyingPoints: null, pointsToRetain: null, retainUntil: null, pointsToNextLevel: 300 });

    // Turned on for a running program: balances from before get their window at the first evaluation.
    await earn(life.id, 2_000);
    config.levelWindowMonths = MONTHS;
    await evaluateNext();
    expect(await level(life.id)).toEqual({ level: 3, qualifying: 200 + 2_000 });
    await clawback(life.id, 2_000);
    expect(await level(life.id)).toEqual({ level: 3, qualifying: 200 });
    await clean();

    // Turned off again: every balance is back on its lifetime total, without events.
    config.levelWindowMonths = 0;
    const before = await notes(life.id, 'level-down');
    expect((await evaluation.run()).reset).toBeGreaterThan(0);
    expect(await db.query(`SELECT level, window_from, qualifying FROM point_balances WHERE user_id = $1`, [life.id])).toEqual([
      { level: 1, window_from: null, qualifying: null },
    ]);
    expect(await notes(life.id, 'level-down')).toEqual(before);
    expect(await db.query(`SELECT count(*)::int AS n FROM point_balances WHERE window_from IS NOT NULL`)).toEqual([{ n: 0 }]);
    await clean();
  });

  it('races awards and clawbacks with the evaluation of the same users without losing a point of qualification', async () => {
    const users = await Promise.all(Array.from({ length: 12 }, () => createTestUser(t.app)));
    for (const u of users) await earn(u.id, 2_000);
    clock.set(nextEvaluation(clock.now()));
    const writes = users.flatMap((u, i) => [earn(u.id, 100 + i), clawback(u.id, 50), earn(u.id, 10)]);
    const [run] = await Promise.all([evaluation.run(), ...writes]);
    expect(run.evaluated).toBeGreaterThanOrEqual(users.length);
    for (const [i, u] of users.entries()) {
      expect(await level(u.id)).toEqual({ level: 3, qualifying: 2_000 + 100 + i - 50 + 10 });
    }
    await clean();
  });

  it('finds a level too low for its window in the ledger check', async () => {
    const u = await createTestUser(t.app);
    await earn(u.id, 600);
    await db.query(`UPDATE point_balances SET level = 1 WHERE user_id = $1`, [u.id]);
    expect((await checkLedger(db)).filter((p) => p.userId === u.id).map((p) => p.problem)).toEqual(['level is below what the qualifying points reach']);
    await db.query(`UPDATE point_balances SET level = 2, qualifying = 550 WHERE user_id = $1`, [u.id]);
    expect((await checkLedger(db)).filter((p) => p.userId === u.id).map((p) => p.problem)).toEqual([
      'qualifying differs from the posted earn and clawback entries since the window started',
    ]);
    await db.query(`UPDATE point_balances SET qualifying = 600 WHERE user_id = $1`, [u.id]);
    await clean();
  });
});
