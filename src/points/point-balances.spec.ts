import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataSourceOptions } from '../database/data-source-options';
import { runSerializable } from '../database/serializable';
import { checkLedger } from './ledger-check';
import { EntryInput, PointsLedgerRepository } from './points-ledger.repository';
import { PointsQueryRepository } from './points-query.repository';

/** A user's balance row is points': created by the ledger's first write, never by sign-up. */
describe('point_balances', () => {
  let db: DataSource;
  const ledger = new PointsLedgerRepository();
  let queries: PointsQueryRepository;
  beforeAll(async () => {
    db = await new DataSource(dataSourceOptions(process.env.DATABASE_URL!)).initialize();
    queries = new PointsQueryRepository(db);
  });
  afterAll(() => db?.destroy());

  const newUser = async () =>
    (await db.query(`INSERT INTO users (email, name) VALUES ($1, 'B') RETURNING id`, [`b-${randomUUID()}@example.com`]))[0].id as string;
  const row = async (userId: string) =>
    (await db.query(`SELECT total::int, available::int, pending::int, debt::int, level, seq::int FROM point_balances WHERE user_id = $1`, [userId]))[0];
  const entries = async (userId: string) => (await db.query(`SELECT count(*)::int AS n FROM point_transactions WHERE user_id = $1`, [userId]))[0].n;

  const write = (input: Partial<EntryInput> & Pick<EntryInput, 'userId' | 'amount' | 'type'>) =>
    runSerializable(db, (m) =>
      ledger.writeEntry(m, {
        source: 'bonus', status: 'posted', description: null, metadata: {}, idempotencyKey: `k-${randomUUID()}`,
        totalDelta: 0, allowDebt: false, includeClosed: false, ...input,
      }, { now: new Date(), days: 0, windowFrom: null }),
    );
  const credit = (userId: string, amount: number, extra: Partial<EntryInput> = {}) => write({ userId, amount, type: 'earn', totalDelta: amount, ...extra });
  const spend = (userId: string, amount: number) => write({ userId, amount: -amount, type: 'spend', source: 'redeem' });
  const clawback = (userId: string, amount: number) =>
    write({ userId, amount: -amount, type: 'clawback', source: 'purchase', totalDelta: -amount, allowDebt: true, includeClosed: true });

  it('reads a user without a row as zero balances at the first level, and the ledger check agrees', async () => {
    const user = await newUser();
    expect(await row(user)).toBeUndefined();
    expect(await queries.findBalances(user)).toEqual({ total: 0, available: 0, pending: 0, debt: 0, level: 1, seq: 0 });
    expect((await checkLedger(db)).filter((p) => p.userId === user)).toEqual([]);
  });

  it('creates the row on the first credit (seq 1), then moves it (the trigger bumps seq)', async () => {
    const user = await newUser();
    const first = await credit(user, 600);
    expect(first.before).toEqual({ total: 0, available: 0, pending: 0, debt: 0, level: 1, seq: 0 });
    expect(first.after).toEqual({ total: 600, available: 600, pending: 0, debt: 0, level: 2, seq: 1 });
    expect(first.levelName).toBe('Silver');
    await credit(user, 40, { status: 'pending', totalDelta: 0 });
    expect(await row(user)).toEqual({ total: 600, available: 600, pending: 40, debt: 0, level: 2, seq: 2 });
    expect(await queries.findBalances(user)).toEqual({ total: 600, available: 600, pending: 40, debt: 0, level: 2, seq: 2 });
  });

  it('refuses a spend of a user without a row as one with zero balances, creating nothing', async () => {
    const user = await newUser();
    const refused = await spend(user, 5);
    expect(refused.before).toEqual({ total: 0, available: 0, pending: 0, debt: 0, level: 1, seq: 0 });
    expect(refused.entry).toBeNull();
    expect(refused.after).toBeNull();
    expect(await row(user)).toBeUndefined();
    expect(await entries(user)).toBe(0);
  });

  it('records a clawback of a user without a row as debt, as on zero balances', async () => {
    const user = await newUser();
    const claw = await clawback(user, 30);
    expect(claw.entry).toMatchObject({ type: 'clawback', amount: -30, balanceAfter: 0 });
    expect(await row(user)).toEqual({ total: -30, available: 0, pending: 0, debt: 30, level: 1, seq: 1 });
    await credit(user, 50);
    expect(await row(user)).toEqual({ total: 20, available: 20, pending: 0, debt: 0, level: 1, seq: 2 });
    expect((await checkLedger(db)).filter((p) => p.userId === user)).toEqual([]);
  });

  it('lets only clawbacks reach a closed account without a row', async () => {
    const user = await newUser();
    await db.query(`UPDATE users SET deleted_at = now() WHERE id = $1`, [user]);
    expect((await credit(user, 10)).before).toBeNull();
    expect((await spend(user, 1)).before).toBeNull();
    expect(await row(user)).toBeUndefined();
    expect(await queries.findBalances(user)).toBeNull();
    await clawback(user, 7);
    expect(await row(user)).toMatchObject({ available: 0, debt: 7, total: -7 });
  });

  it('lands concurrent first credits of one user on one row (a conflicting insert is retried)', async () => {
    const user = await newUser();
    await Promise.all(Array.from({ length: 8 }, (_, i) => credit(user, i + 1)));
    expect(await row(user)).toEqual({ total: 36, available: 36, pending: 0, debt: 0, level: 1, seq: 8 });
    expect(await entries(user)).toBe(8);
  });

  it('goes with its user', async () => {
    const user = await newUser();
    await db.query(`INSERT INTO point_balances (user_id) VALUES ($1)`, [user]);
    await db.query(`DELETE FROM users WHERE id = $1`, [user]);
    expect(await row(user)).toBeUndefined();
  });
});
