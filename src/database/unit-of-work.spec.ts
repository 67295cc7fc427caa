import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataSourceOptions } from './data-source-options';
import { serializableStats } from './serializable';
import { UnitOfWork } from './unit-of-work';

declare module './unit-of-work' {
  interface RecordedEffects {
    'probe-row': number;
    'probe-event': string;
  }
}

describe('UnitOfWork', () => {
  let db: DataSource;
  let uow: UnitOfWork;
  const emitted: string[][] = [];

  beforeAll(async () => {
    db = await new DataSource(dataSourceOptions(process.env.DATABASE_URL!)).initialize();
    await db.query(`CREATE TABLE uow_probe (id int PRIMARY KEY, n int NOT NULL)`);
    await db.query(`CREATE TABLE uow_outbox (n int NOT NULL)`);
    await db.query(`INSERT INTO uow_probe VALUES (1, 0)`);
    uow = new UnitOfWork(db);
    uow.addSink({
      kind: 'probe-row',
      beforeCommit: async (m, items) => void (await m.query(`INSERT INTO uow_outbox SELECT unnest($1::int[])`, [items])),
    });
    uow.addSink({ kind: 'probe-event', afterCommit: (items) => void emitted.push(items) });
  });
  afterAll(() => db?.destroy());

  it('emits once per committed unit, never for a retried or failed attempt', async () => {
    await db.query(`UPDATE uow_probe SET n = 0 WHERE id = 1`);
    emitted.length = 0;
    const retriesBefore = serializableStats.retries;
    let hooks = 0;
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        uow.run(async (tx) => {
          const [{ n }] = await tx.manager.query(`SELECT n FROM uow_probe WHERE id = 1`);
          await tx.manager.query(`UPDATE uow_probe SET n = $1 WHERE id = 1`, [n + 1]);
          tx.record('probe-event', `e${i}`);
          tx.afterCommit(() => hooks++);
        }),
      ),
    );
    expect(serializableStats.retries).toBeGreaterThan(retriesBefore);
    expect(hooks).toBe(40);
    expect(emitted.flat().sort()).toEqual(Array.from({ length: 40 }, (_, i) => `e${i}`).sort());
    await expect(
      uow.run(async (tx) => {
        tx.record('probe-event', 'failed');
        tx.afterCommit(() => hooks++);
        throw new Error('business rule');
      }),
    ).rejects.toThrow('business rule');
    expect(hooks).toBe(40);
    expect(emitted.flat()).not.toContain('failed');
  });

  it('writes before-commit effects in the transaction: they commit and roll back with the work', async () => {
    await db.query(`TRUNCATE uow_outbox`);
    await uow.run(async (tx) => tx.record('probe-row', 1, 2));
    await expect(
      uow.run(async (tx) => {
        tx.record('probe-row', 3);
        await tx.manager.query(`SELECT 1/0`);
      }),
    ).rejects.toThrow();
    const rows = await db.query(`SELECT n FROM uow_outbox ORDER BY n`);
    expect(rows.map((r: { n: number }) => r.n)).toEqual([1, 2]);
  });

  it('joins a caller unit with within(): one transaction, effects flushed by the outer unit once', async () => {
    emitted.length = 0;
    const pids = await uow.run(async (tx) => {
      const outer = (await tx.manager.query(`SELECT txid_current() AS t`))[0].t;
      const inner = await uow.within(tx, async (inner) => {
        inner.record('probe-event', 'inner');
        return (await inner.manager.query(`SELECT txid_current() AS t`))[0].t;
      });
      tx.record('probe-event', 'outer');
      return [outer, inner];
    });
    expect(pids[0]).toBe(pids[1]);
    expect(emitted).toEqual([['inner', 'outer']]);
  });

  it('runs READ COMMITTED work once, without retries', async () => {
    const level = await uow.run(async (tx) => (await tx.manager.query(`SHOW transaction_isolation`))[0].transaction_isolation, {
      isolation: 'READ COMMITTED',
    });
    expect(level).toBe('read committed');
  });
});
