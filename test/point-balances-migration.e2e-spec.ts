import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { dataSourceOptions } from '../src/database/data-source-options';
import { databaseUrl } from '../src/database/embedded-database';
import { CreatePointsLevel1763900000100 } from '../migrations/1763900000100-CreatePointsLevel';
import { migrations } from '../src/database/migrations';

/** The schema of users' points columns, their checks and triggers, compared before and after a round trip. */
async function usersShape(db: DataSource) {
  const columns = await db.query(
    `SELECT column_name, data_type, column_default, is_nullable FROM information_schema.columns
     WHERE table_schema = 'public' AND table_name = 'users' ORDER BY column_name`,
  );
  const checks = await db.query(
    `SELECT conname, pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conrelid = 'users'::regclass ORDER BY conname`,
  );
  const triggers = await db.query(
    `SELECT tgname, pg_get_triggerdef(oid) AS def FROM pg_trigger WHERE tgrelid = 'users'::regclass AND NOT tgisinternal ORDER BY tgname`,
  );
  return { columns, checks, triggers };
}

describe('moving balances into point_balances', () => {
  const name = `${inject('pgPrefix')}balances_${Date.now()}`;
  let admin: DataSource;
  let db: DataSource;

  beforeAll(async () => {
    admin = await new DataSource({ type: 'postgres', url: inject('pgAdminUrl') }).initialize();
    await admin.query(`CREATE DATABASE ${name}`);
    // Migrated up to the points level function, so that undoing the last two undoes exactly this move.
    const upTo = migrations.slice(0, migrations.indexOf(CreatePointsLevel1763900000100) + 1);
    db = await new DataSource({ ...dataSourceOptions(databaseUrl(inject('pgAdminUrl'), name)), migrations: upTo }).initialize();
    await db.runMigrations({ transaction: 'each' });
    await db.undoLastMigration({ transaction: 'each' }); // points_level
    await db.undoLastMigration({ transaction: 'each' }); // point_balances
  });
  afterAll(async () => {
    await db?.destroy();
    await admin?.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin?.destroy();
  });

  it('copies every user’s balances and seq, moves the seq trigger, and moves them back on revert', async () => {
    const shape = await usersShape(db);
    const [rich] = await db.query(`INSERT INTO users (email, name) VALUES ('rich@example.com', 'R') RETURNING id`);
    const [owing] = await db.query(`INSERT INTO users (email, name) VALUES ('owing@example.com', 'O') RETURNING id`);
    const [fresh] = await db.query(`INSERT INTO users (email, name) VALUES ('fresh@example.com', 'F') RETURNING id`);
    await db.query(`UPDATE users SET points_total = 2500, points_available = 2100, points_pending = 40, level = 3 WHERE id = $1`, [rich.id]);
    await db.query(`UPDATE users SET points_available = 400 WHERE id = $1`, [rich.id]);
    await db.query(`UPDATE users SET points_total = -30, points_debt = 30 WHERE id = $1`, [owing.id]);
    const before = await db.query(
      `SELECT id, points_total::int, points_available::int, points_pending::int, points_debt::int, level, points_seq::int FROM users ORDER BY id`,
    );
    expect(before.find((u: { id: string }) => u.id === rich.id).points_seq).toBe(2);

    await db.runMigrations({ transaction: 'each' });
    const moved = await db.query(`SELECT user_id AS id, total::int, available::int, pending::int, debt::int, level, seq::int FROM point_balances ORDER BY user_id`);
    expect(moved).toEqual(
      before.map((u: Record<string, unknown>) => ({
        id: u.id, total: u.points_total, available: u.points_available, pending: u.points_pending, debt: u.points_debt, level: u.level, seq: u.points_seq,
      })),
    );
    const [{ left }] = await db.query(
      `SELECT count(*)::int AS left FROM information_schema.columns
       WHERE table_name = 'users' AND column_name IN ('points_total', 'points_available', 'points_pending', 'points_debt', 'level', 'points_seq')`,
    );
    expect(left).toBe(0);
    await db.query(`UPDATE point_balances SET available = available + 1 WHERE user_id = $1`, [fresh.id]);
    await db.query(`UPDATE point_balances SET level = 2 WHERE user_id = $1`, [fresh.id]);
    expect((await db.query(`SELECT seq::int FROM point_balances WHERE user_id = $1`, [fresh.id]))[0].seq).toBe(1);
    await expect(db.query(`UPDATE point_balances SET available = 5 WHERE user_id = $1`, [owing.id])).rejects.toThrow(/point_balances_debt_only_when_empty/);
    await expect(db.query(`UPDATE point_balances SET available = -1 WHERE user_id = $1`, [fresh.id])).rejects.toThrow(/point_balances_available_non_negative/);
    expect((await db.query(`SELECT points_level(2000) AS l, points_level(-5) AS n`))[0]).toEqual({ l: 1, n: 1 }); // no tiers seeded here
    await db.query(`UPDATE point_balances SET available = 0 WHERE user_id = $1`, [fresh.id]);
    const after = before.map((u: { id: string }) => (u.id === fresh.id ? { ...u, level: 2, points_seq: 2 } : u));

    await db.undoLastMigration({ transaction: 'each' });
    await db.undoLastMigration({ transaction: 'each' });
    expect(await usersShape(db)).toEqual(shape);
    expect(await db.query(`SELECT id, points_total::int, points_available::int, points_pending::int, points_debt::int, level, points_seq::int FROM users ORDER BY id`)).toEqual(after);
    await db.query(`UPDATE users SET points_available = points_available + 1 WHERE id = $1`, [fresh.id]);
    expect((await db.query(`SELECT points_seq::int FROM users WHERE id = $1`, [fresh.id]))[0].points_seq).toBe(3);
    const [{ tables }] = await db.query(`SELECT count(*)::int AS tables FROM information_schema.tables WHERE table_name = 'point_balances'`);
    expect(tables).toBe(0);
  });
});
