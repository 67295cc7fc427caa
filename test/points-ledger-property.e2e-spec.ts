import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkLedger } from '../src/points/ledger-check';
import { LedgerResult, PointsService } from '../src/points/points.service';
import { createTestApp, TestApp } from './utils/test-app';
import { createTestUser } from './utils/test-users';

type Kind = 'earn' | 'spend' | 'adminDeduct' | 'clawback' | 'hold' | 'release' | 'void' | 'replay';

interface Op {
  kind: Kind;
  user: number;
  amount: number;
  /** For release/void/replay: which earlier op (modulo how many there are) it refers to. */
  ref: number;
}

interface Sent {
  kind: Exclude<Kind, 'replay'>;
  userId: string;
  amount: number;
  key: string;
}

const op: fc.Arbitrary<Op> = fc.record({
  kind: fc.constantFrom<Kind>('earn', 'earn', 'spend', 'adminDeduct', 'clawback', 'hold', 'hold', 'release', 'void', 'replay'),
  user: fc.integer({ min: 0, max: 1 }),
  amount: fc.integer({ min: 1, max: 400 }),
  ref: fc.nat(),
});

describe('the ledger under random concurrent operations (fast-check)', () => {
  let t: TestApp;
  let points: PointsService;
  let db: DataSource;

  beforeAll(async () => {
    t = await createTestApp();
    points = t.app.get(PointsService);
    db = t.app.get(DataSource);
  });
  afterAll(() => t?.close());

  function send(s: Sent): Promise<LedgerResult> {
    switch (s.kind) {
      case 'earn': return points.addPoints({ userId: s.userId, amount: s.amount, source: 'purchase', metadata: {}, idempotencyKey: s.key });
      case 'hold': return points.addPoints({ userId: s.userId, amount: s.amount, source: 'purchase', metadata: {}, idempotencyKey: s.key, hold: true });
      case 'spend': return points.spend({ userId: s.userId, amount: s.amount, source: 'admin', metadata: {}, idempotencyKey: s.key });
      case 'adminDeduct': return points.spend({ userId: s.userId, amount: s.amount, source: 'admin', metadata: { reason: 'test' }, idempotencyKey: s.key });
      case 'clawback': return points.clawback({ userId: s.userId, amount: s.amount, source: 'purchase', metadata: {}, idempotencyKey: s.key });
      case 'release': return points.releasePending({ idempotencyKey: s.key });
      case 'void': return points.voidPending({ idempotencyKey: s.key });
    }
  }

  it('keeps every balance equal to the model and to its ledger', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 5, maxLength: 40 }), fc.integer({ min: 2, max: 8 }), async (ops, clients) => {
        const users = [(await createTestUser(t.app)).id, (await createTestUser(t.app)).id];
        const history: Sent[] = [];
        const holds: Sent[] = [];
        const outcomes: Array<{ sent: Sent; result?: LedgerResult; error?: { code?: string } }> = [];

        for (let i = 0; i < ops.length; i += clients) {
          const batch: Sent[] = ops.slice(i, i + clients).map((o) => {
            if (o.kind === 'replay' && history.length > 0) return { ...history[o.ref % history.length] };
            if ((o.kind === 'release' || o.kind === 'void') && holds.length > 0) {
              const h = holds[o.ref % holds.length];
              return { kind: o.kind, userId: h.userId, amount: h.amount, key: h.key };
            }
            const kind = o.kind === 'replay' || o.kind === 'release' || o.kind === 'void' ? 'earn' : o.kind;
            return { kind, userId: users[o.user], amount: o.amount, key: `prop:${randomUUID()}` };
          });
          for (const s of batch) {
            if (s.kind !== 'release' && s.kind !== 'void') history.push(s);
            if (s.kind === 'hold' && !holds.some((h) => h.key === s.key)) holds.push(s);
          }
          const settled = await Promise.allSettled(batch.map(send));
          settled.forEach((r, j) =>
            outcomes.push(r.status === 'fulfilled' ? { sent: batch[j], result: r.value } : { sent: batch[j], error: r.reason }),
          );
        }

        const model = new Map(users.map((u) => [u, { net: 0, pending: 0, total: 0 }]));
        const applied = new Set<string>();
        for (const { sent, result, error } of outcomes) {
          if (error) {
            expect(['INSUFFICIENT_POINTS', 'TRANSACTION_NOT_PENDING']).toContain(error.code);
            continue;
          }
          expect(result!.balances === null || (result!.balances.available >= 0 && result!.balances.debt >= 0)).toBe(true);
          if (result!.duplicate) continue;
          const once = `${sent.kind === 'release' || sent.kind === 'void' ? 'settle' : 'write'}:${sent.key}`;
          expect(applied.has(once), `${once} applied twice`).toBe(false);
          applied.add(once);
          const m = model.get(sent.userId)!;
          const a = sent.amount;
          if (sent.kind === 'earn') Object.assign(m, { net: m.net + a, total: m.total + a });
          if (sent.kind === 'spend' || sent.kind === 'adminDeduct') m.net -= a;
          if (sent.kind === 'clawback') Object.assign(m, { net: m.net - a, total: m.total - a });
          if (sent.kind === 'hold') m.pending += a;
          if (sent.kind === 'release') Object.assign(m, { pending: m.pending - a, net: m.net + a, total: m.total + a });
          if (sent.kind === 'void') m.pending -= a;
        }

        for (const u of users) {
          const m = model.get(u)!;
          const [row] = await db.query(
            `SELECT COALESCE(b.available, 0)::int AS available, COALESCE(b.debt, 0)::int AS debt, COALESCE(b.pending, 0)::int AS pending,
                    COALESCE(b.total, 0)::int AS total
             FROM users u LEFT JOIN point_balances b ON b.user_id = u.id WHERE u.id = $1`,
            [u],
          );
          expect(row).toEqual({ available: Math.max(m.net, 0), debt: Math.max(-m.net, 0), pending: m.pending, total: m.total });
        }
        expect(await checkLedger(db)).toEqual([]);
      }),
      { numRuns: 25 },
    );
  });
});
