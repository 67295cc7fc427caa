import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { BalanceState, BatchPlan, planBatch, UserState } from './ledger-batch';
import { Balances, EntryInput, LedgerEntry, LOT_ORDER, lotExpiry, toEntry, WriteOutcome, WriteTerms } from './points-ledger.repository';

/** The batch's users with their balances, and the entries that already hold its keys. */
const READ_BATCH = `
SELECT (SELECT json_agg(json_build_object(
          'id', u.id, 'closed', u.deleted_at IS NOT NULL, 'stored', b.user_id IS NOT NULL,
          'total', COALESCE(b.total, 0), 'available', COALESCE(b.available, 0), 'pending', COALESCE(b.pending, 0),
          'debt', COALESCE(b.debt, 0), 'level', COALESCE(b.level, points_level(0)), 'seq', COALESCE(b.seq, 0),
          'window_from', b.window_from, 'qualifying', b.qualifying))
        FROM users u LEFT JOIN point_balances b ON b.user_id = u.id WHERE u.id = ANY($1::uuid[])) AS users,
       (SELECT json_agg(row_to_json(t)) FROM point_transactions t WHERE t.idempotency_key = ANY($2::text[])) AS existing`;

/**
 * Writes the planned entries ($1..$13, one array element each, in batch order) with the lots their
 * credits open, and each user's balance row once, at the batch's end state ($14..$22). The level
 * after each entry is the one rule's: points_level of its total, or under a window the highest
 * points_level its qualifying points reached so far, never below where the batch found it. Entries
 * (and their lots) are stamped a microsecond apart, so history and lot order keep the batch's order.
 */
const WRITE_BATCH = `
WITH e AS (
  SELECT * FROM unnest($1::int[], $2::uuid[], $3::text[], $4::bigint[], $5::text[], $6::text[], $7::bigint[],
                       $8::text[], $9::text[], $10::text[], $11::bigint[], $12::bigint[], $13::bigint[])
    AS e(ord, user_id, type, amount, source, status, balance_after, description, metadata, idempotency_key, total, qualifying, lot)
), u AS (
  SELECT * FROM unnest($14::uuid[], $15::bigint[], $16::bigint[], $17::bigint[], $18::bigint[], $19::bigint[],
                       $20::bigint[], $21::timestamptz[], $22::int[])
    AS u(user_id, total, available, pending, debt, qualifying, seq, window_from, level)
), lv AS (
  SELECT e.ord, e.user_id,
         CASE WHEN u.window_from IS NULL THEN points_level(e.total)
              ELSE GREATEST(u.level, MAX(points_level(e.qualifying)) OVER (PARTITION BY e.user_id ORDER BY e.ord)) END AS level,
         ROW_NUMBER() OVER (PARTITION BY e.user_id ORDER BY e.ord DESC) AS from_last
  FROM e JOIN u ON u.user_id = e.user_id
), ins AS (
  INSERT INTO point_transactions (user_id, type, amount, source, status, balance_after, description, metadata, idempotency_key, created_at)
  SELECT user_id, type, amount, source, status, balance_after, description, metadata::jsonb, idempotency_key, $23::timestamptz + e.ord * interval '1 microsecond'
  FROM e ORDER BY ord
  RETURNING *
), bal AS (
  INSERT INTO point_balances AS b (user_id, total, available, pending, debt, level, qualifying, seq, window_from)
  SELECT u.user_id, u.total, u.available, u.pending, u.debt, lv.level, u.qualifying, u.seq, u.window_from
  FROM u JOIN lv ON lv.user_id = u.user_id AND lv.from_last = 1
  ON CONFLICT (user_id) DO UPDATE SET
    (total, available, pending, debt, level, qualifying, seq, updated_at) =
    (EXCLUDED.total, EXCLUDED.available, EXCLUDED.pending, EXCLUDED.debt, EXCLUDED.level, EXCLUDED.qualifying, EXCLUDED.seq, now())
  RETURNING b.user_id
), lots AS (
  INSERT INTO point_lots (user_id, entry_id, amount, remaining, expires_at, created_at)
  SELECT i.user_id, i.id, e.lot, e.lot, ${lotExpiry('$24', '$23')}, i.created_at
  FROM ins i JOIN e ON e.idempotency_key = i.idempotency_key WHERE e.lot > 0
  RETURNING id
)
SELECT e.ord, lv.level, lc.name AS level_name, row_to_json(i) AS entry
FROM ins i JOIN e ON e.idempotency_key = i.idempotency_key JOIN lv ON lv.ord = e.ord
LEFT JOIN level_configs lc ON lc.level = lv.level`;

/**
 * Takes each user's debits of the batch ($2) from their open lots, soonest to expire first. It runs
 * after WRITE_BATCH, so a debit can also take what a credit earlier in the batch opened (those
 * lots sort last: they are the newest, expiring latest).
 */
const TAKE_LOTS = `
WITH t AS (
  SELECT * FROM unnest($1::uuid[], $2::bigint[]) AS t(user_id, d)
), lot_order AS (
  SELECT l.id, l.remaining, t.d,
         SUM(l.remaining) OVER (PARTITION BY l.user_id ORDER BY ${LOT_ORDER}) - l.remaining AS before
  FROM point_lots l JOIN t ON l.user_id = t.user_id WHERE l.remaining > 0
)
UPDATE point_lots l SET remaining = l.remaining - LEAST(o.remaining, o.d - o.before)
FROM lot_order o WHERE l.id = o.id AND o.before < o.d`;

interface UserRow extends Balances {
  id: string;
  closed: boolean;
  stored: boolean;
  window_from: string | null;
  qualifying: number | null;
}

/**
 * The ledger's set-based writer: many entries in one read and one write (and one lot statement
 * when the batch has debits), with each entry's outcome as if it had been written alone, in order.
 */
@Injectable()
export class LedgerBatchRepository {
  async writeEntries(manager: EntityManager, inputs: EntryInput[], terms: WriteTerms): Promise<WriteOutcome[]> {
    const userIds = [...new Set(inputs.map((i) => i.userId))];
    const [read] = await manager.query(READ_BATCH, [userIds, inputs.map((i) => i.idempotencyKey)]);
    const users = new Map<string, UserState>(((read.users ?? []) as UserRow[]).map((r) => [r.id, toUserState(r)]));
    const existing = new Map<string, LedgerEntry>(((read.existing ?? []) as Array<Record<string, unknown>>).map((r) => [r.idempotency_key as string, toEntry(r)]));
    const plan = planBatch(inputs, users, existing, terms.windowFrom);
    const written = await this.write(manager, inputs, plan, users, terms);
    if (plan.lotTakes.size > 0) await manager.query(TAKE_LOTS, [[...plan.lotTakes.keys()], [...plan.lotTakes.values()]]);
    return outcomesOf(plan, users, written);
  }

  private async write(manager: EntityManager, inputs: EntryInput[], plan: BatchPlan, users: Map<string, UserState>, terms: WriteTerms): Promise<Map<number, Written>> {
    const rows = plan.items.flatMap((item, ord) => (item.kind === 'write' ? [{ ord, input: inputs[ord], item }] : []));
    if (rows.length === 0) return new Map();
    const balances = [...plan.balances.entries()];
    const result = (await manager.query(WRITE_BATCH, [
      rows.map((r) => r.ord),
      rows.map((r) => r.input.userId),
      rows.map((r) => r.input.type),
      rows.map((r) => r.input.amount),
      rows.map((r) => r.input.source),
      rows.map((r) => r.input.status),
      rows.map((r) => r.item.after.available),
      rows.map((r) => r.input.description),
      rows.map((r) => JSON.stringify(r.input.metadata)),
      rows.map((r) => r.input.idempotencyKey),
      rows.map((r) => r.item.after.total),
      rows.map((r) => r.item.after.qualifying),
      rows.map((r) => Math.max(r.item.lot, 0)),
      balances.map(([id]) => id),
      balances.map(([, b]) => b.total),
      balances.map(([, b]) => b.available),
      balances.map(([, b]) => b.pending),
      balances.map(([, b]) => b.debt),
      balances.map(([, b]) => b.qualifying),
      balances.map(([, b]) => b.seq),
      balances.map(([, b]) => b.windowFrom),
      balances.map(([id]) => users.get(id)!.balance.level),
      terms.now,
      terms.days,
    ])) as Array<{ ord: number; level: number; level_name: string | null; entry: Record<string, unknown> }>;
    return new Map(result.map((r) => [Number(r.ord), { entry: toEntry(r.entry), level: Number(r.level), levelName: r.level_name }]));
  }
}

interface Written {
  entry: LedgerEntry;
  level: number;
  levelName: string | null;
}

/** Each input's outcome, shaped as the one-entry statement reports it. */
function outcomesOf(plan: BatchPlan, users: Map<string, UserState>, written: Map<number, Written>): WriteOutcome[] {
  const levels = new Map<string, number>();
  const levelOf = (userId: string) => levels.get(userId) ?? users.get(userId)!.balance.level;
  const none = { existing: null, entry: null, before: null, after: null, levelName: null };
  return plan.items.map((item, index): WriteOutcome => {
    switch (item.kind) {
      case 'existing':
        return { ...none, existing: item.entry };
      case 'repeat':
        return { ...none, existing: written.get(item.of)!.entry };
      case 'no-user':
        return none;
      case 'refused':
        return { ...none, before: toBalances(item.before, levelOf(item.userId)) };
      case 'write': {
        const w = written.get(index)!;
        const before = toBalances(item.before, levelOf(item.userId));
        levels.set(item.userId, w.level);
        return { existing: null, entry: w.entry, before, after: toBalances(item.after, w.level), levelName: w.levelName };
      }
    }
  });
}

function toUserState(r: UserRow): UserState {
  return {
    closed: r.closed,
    stored: r.stored,
    balance: {
      total: Number(r.total),
      available: Number(r.available),
      pending: Number(r.pending),
      debt: Number(r.debt),
      level: Number(r.level),
      seq: Number(r.seq),
      windowFrom: r.window_from === null ? null : new Date(r.window_from),
      qualifying: r.qualifying === null ? null : Number(r.qualifying),
    },
  };
}

/** The balances an outcome reports: the state with the level it reached. */
function toBalances(b: BalanceState, level: number): Balances {
  return { total: b.total, available: b.available, pending: b.pending, debt: b.debt, level, seq: b.seq };
}
