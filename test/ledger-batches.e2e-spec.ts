import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ledgerBatchSize } from '../src/metrics/metrics';
import { checkLedger } from '../src/points/ledger-check';
import { LedgerResult, PointsService } from '../src/points/points.service';
import { createTestApp, TestApp } from './utils/test-app';
import { createTestUser } from './utils/test-users';

type Kind = 'earn' | 'hold' | 'spend' | 'clawback' | 'repeat';

interface Op {
  kind: Kind;
  /** 0 and 1: open accounts; 2: a closed one; 3: nobody. */
  user: number;
  amount: number;
  /** For repeat: which earlier op's key (modulo how many there are) is sent again, as this op's kind. */
  ref: number;
  as: Exclude<Kind, 'repeat'>;
}

const writeKind = fc.constantFrom<Exclude<Kind, 'repeat'>>('earn', 'hold', 'spend', 'clawback');
const op: fc.Arbitrary<Op> = fc.record({
  kind: fc.constantFrom<Kind>('earn', 'earn', 'hold', 'spend', 'spend', 'clawback', 'repeat'),
  user: fc.constantFrom(0, 0, 0, 1, 1, 2, 3),
  amount: fc.integer({ min: 1, max: 400 }),
  ref: fc.nat(),
  as: writeKind,
});

/** What a caller learns from one write, without the ids and times that differ between runs. */
type Seen = { error: string } | { duplicate: true; amount: number; type: string } | { balances: LedgerResult['balances']; amount: number; status: string };

describe('batched ledger writes (group commit)', () => {
  let t: TestApp;
  let points: PointsService;
  let db: DataSource;

  beforeAll(async () => {
    t = await createTestApp();
    points = t.app.get(PointsService);
    db = t.app.get(DataSource);
  });
  afterAll(() => t?.close());

  async function accounts(): Promise<string[]> {
    const open = [(await createTestUser(t.app)).id, (await createTestUser(t.app)).id];
    const closed = (await createTestUser(t.app)).id;
    await db.query(`UPDATE users SET deleted_at = now() WHERE id = $1`, [closed]);
    return [...open, closed, randomUUID()];
  }

  function send(kind: Exclude<Kind, 'repeat'>, userId: string, amount: number, key: string): Promise<LedgerResult> {
    const o = { userId, amount, source: 'admin' as const, metadata: {}, idempotencyKey: key };
    switch (kind) {
      case 'earn': return points.addPoints(o);
      case 'hold': return points.addPoints({ ...o, hold: true });
      case 'spend': return points.spend(o);
      case 'clawback': return points.clawback(o);
    }
  }

  /** The ops as calls on `users`, keys drawn per run; repeats reuse an earlier op's key. */
  function calls(ops: Op[], users: string[], run: string): Array<() => Promise<LedgerResult>> {
    const keys: string[] = [];
    return ops.map((o, i) => {
      const key = o.kind === 'repeat' && i > 0 ? keys[o.ref % i] : `${run}:${i}`;
      keys.push(key);
      const kind = o.kind === 'repeat' ? o.as : o.kind;
      return () => send(kind, users[o.user], o.amount, key);
    });
  }

  const seen = (r: PromiseSettledResult<LedgerResult>): Seen => {
    if (r.status === 'rejected') return { error: (r.reason as { code?: string }).code ?? String(r.reason) };
    const { transaction, duplicate, balances } = r.value;
    if (duplicate) return { duplicate: true, amount: transaction.amount, type: transaction.type };
    return { balances, amount: transaction.amount, status: transaction.status };
  };

  async function state(userId: string) {
    const [row] = await db.query(
      `SELECT b.total::int, b.available::int, b.pending::int, b.debt::int, b.level, b.seq::int,
              (SELECT array_agg(l.remaining::int ORDER BY l.remaining) FROM point_lots l WHERE l.user_id = $1 AND l.remaining > 0) AS lots,
              (SELECT count(*)::int FROM point_transactions p WHERE p.user_id = $1) AS entries
       FROM users u LEFT JOIN point_balances b ON b.user_id = u.id WHERE u.id = $1`,
      [userId],
    );
    return row ?? null;
  }

  async function batchesObserved(): Promise<{ count: number; sum: number }> {
    const { values } = await ledgerBatchSize.get();
    return {
      count: values.find((v) => v.metricName === 'ledger_batch_size_count')?.value ?? 0,
      sum: values.find((v) => v.metricName === 'ledger_batch_size_sum')?.value ?? 0,
    };
  }

  it('answers every write of a batch as if each had been written alone, in arrival order', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 2, maxLength: 40 }), async (ops) => {
        const [batched, alone] = [await accounts(), await accounts()];
        const before = await batchesObserved();
        const together = await Promise.allSettled(calls(ops, batched, `b:${randomUUID()}`).map((call) => call()));
        const after = await batchesObserved();
        // The first call goes alone; the others arrive while it is in flight and go in batches.
        expect(after.sum - before.sum).toBeGreaterThanOrEqual(1);
        if (ops.length > 2) expect(after.count - before.count).toBeLessThan(ops.length);

        const one: Array<PromiseSettledResult<LedgerResult>> = [];
        for (const call of calls(ops, alone, `a:${randomUUID()}`)) {
          one.push(await call().then((value) => ({ status: 'fulfilled', value }) as const, (reason: unknown) => ({ status: 'rejected', reason }) as const));
        }
        expect(together.map(seen)).toEqual(one.map(seen));
        for (const u of [0, 1, 2]) expect(await state(batched[u])).toEqual(await state(alone[u]));
        expect(await checkLedger(db)).toEqual([]);
      }),
      { numRuns: 30 },
    );
  });

  it('lets one overdrawing spend fail alone, keeps a duplicate once and applies one user\'s writes in order', async () => {
    const [a, b] = (await accounts()).slice(0, 2);
    const key = (k: string) => `mix:${a}:${k}`;
    const before = await batchesObserved();
    const opener = points.addPoints({ userId: a, amount: 10, source: 'admin', idempotencyKey: key('opener') });
    const batch = [
      points.addPoints({ userId: a, amount: 100, source: 'admin', idempotencyKey: key('earn') }),
      points.spend({ userId: a, amount: 150, source: 'admin', idempotencyKey: key('too-much') }),
      points.spend({ userId: a, amount: 60, source: 'admin', idempotencyKey: key('spend') }),
      points.addPoints({ userId: a, amount: 100, source: 'admin', idempotencyKey: key('earn') }),
      points.addPoints({ userId: b, amount: 5, source: 'admin', idempotencyKey: key('b-earn') }),
      points.spend({ userId: a, amount: 5, source: 'admin', idempotencyKey: key('b-earn') }),
      points.clawback({ userId: a, amount: 80, source: 'admin', idempotencyKey: key('clawback') }),
      points.addPoints({ userId: a, amount: 20, source: 'admin', idempotencyKey: key('settles-debt') }),
    ];
    await opener;
    const results = await Promise.allSettled(batch);
    const after = await batchesObserved();
    // The opener went alone; all eight others waited for it and went as one batch.
    expect(after.sum - before.sum).toBe(1 + batch.length);
    expect(after.count - before.count).toBe(2);

    const outcome = results.map((r) => (r.status === 'rejected' ? (r.reason as { code: string }).code : r.value.duplicate ? 'duplicate' : r.value.balances));
    expect(outcome).toEqual([
      expect.objectContaining({ available: 110, debt: 0 }),
      'INSUFFICIENT_POINTS',
      expect.objectContaining({ available: 50 }),
      'duplicate',
      expect.objectContaining({ available: 5 }),
      'IDEMPOTENCY_KEY_CONFLICT',
      expect.objectContaining({ available: 0, debt: 30, total: 30 }),
      expect.objectContaining({ available: 0, debt: 10, total: 50 }),
    ]);
    const seqs = results.flatMap((r) => (r.status === 'fulfilled' && r.value.balances && r.value.transaction.userId === a ? [r.value.balances.seq] : []));
    expect(seqs).toEqual([2, 3, 4, 5]);
    expect(await state(a)).toMatchObject({ available: 0, debt: 10, total: 50, seq: 5, entries: 5, lots: null });
    expect(await checkLedger(db)).toEqual([]);
  });
});
