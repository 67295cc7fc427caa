import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { dataSourceOptions } from './data-source-options';
import { isRetryableError, runSerializable, serializableStats } from './serializable';

describe('runSerializable', () => {
  let db: DataSource;
  beforeAll(async () => {
    db = await new DataSource(dataSourceOptions(process.env.DATABASE_URL!)).initialize();
    await db.query(`CREATE TABLE serial_probe (id int PRIMARY KEY, n int NOT NULL)`);
    await db.query(`INSERT INTO serial_probe VALUES (1, 0)`);
  });
  afterAll(() => db?.destroy());

  it('runs the work at SERIALIZABLE', async () => {
    const level = await runSerializable(db, async (m) => (await m.query(`SHOW transaction_isolation`))[0].transaction_isolation);
    expect(level).toBe('serializable');
  });

  it('sends BEGIN at SERIALIZABLE, the work and COMMIT: no separate SET TRANSACTION round trip', async () => {
    const sent: string[] = [];
    const create = db.createQueryRunner.bind(db);
    const spy = vi.spyOn(db, 'createQueryRunner').mockImplementation((...args) => {
      const runner = create(...args);
      const query = runner.query.bind(runner);
      runner.query = ((sql: string, ...rest: unknown[]) => {
        sent.push(sql);
        return (query as (...a: unknown[]) => Promise<unknown>)(sql, ...rest);
      }) as typeof runner.query;
      return runner;
    });
    try {
      await runSerializable(db, (m) => m.query('SELECT 1'));
    } finally {
      spy.mockRestore();
    }
    expect(sent).toEqual(['START TRANSACTION ISOLATION LEVEL SERIALIZABLE', 'SELECT 1', 'COMMIT']);
  });

  it('re-runs the whole transaction after serialization failures so no increment is lost', async () => {
    const before = serializableStats.retries;
    await Promise.all(
      Array.from({ length: 40 }, () =>
        runSerializable(db, async (m) => {
          const [{ n }] = await m.query(`SELECT n FROM serial_probe WHERE id = 1`);
          await m.query(`UPDATE serial_probe SET n = $1 WHERE id = 1`, [n + 1]);
        }),
      ),
    );
    const [{ n }] = await db.query(`SELECT n FROM serial_probe WHERE id = 1`);
    expect(n).toBe(40);
    expect(serializableStats.retries).toBeGreaterThan(before);
  });

  it('queues work on one contention key in this process instead of letting it conflict', async () => {
    await db.query(`UPDATE serial_probe SET n = 0 WHERE id = 1`);
    const before = serializableStats.retries;
    const order: number[] = [];
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        runSerializable(
          db,
          async (m) => {
            const [{ n }] = await m.query(`SELECT n FROM serial_probe WHERE id = 1`);
            await m.query(`UPDATE serial_probe SET n = $1 WHERE id = 1`, [n + 1]);
            order.push(i);
          },
          { contentionKey: 'probe-1' },
        ),
      ),
    );
    const [{ n }] = await db.query(`SELECT n FROM serial_probe WHERE id = 1`);
    expect(n).toBe(40);
    expect(serializableStats.retries).toBe(before);
    expect(order).toEqual(Array.from({ length: 40 }, (_, i) => i));
  });

  it('does not retry other errors, and gives up with a 503 after maxAttempts', async () => {
    let calls = 0;
    await expect(
      runSerializable(db, async () => {
        calls++;
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(calls).toBe(1);
    calls = 0;
    const conflict = Object.assign(new Error('could not serialize'), { code: '40001' });
    await expect(
      runSerializable(db, async () => {
        calls++;
        throw conflict;
      }, { maxAttempts: 3, baseDelayMs: 1 }),
    ).rejects.toMatchObject({ status: 503, code: 'SERVICE_UNAVAILABLE' });
    expect(calls).toBe(3);
  });

  it('recognises serialization failures and deadlocks, wrapped or not', () => {
    expect(isRetryableError({ code: '40001' })).toBe(true);
    expect(isRetryableError({ driverError: { code: '40P01' } })).toBe(true);
    expect(isRetryableError({ code: '23505' })).toBe(false);
    expect(isRetryableError(null)).toBe(false);
  });
});
