import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { PointSource, PointTransactionStatus, PointTransactionType } from './entities/point-transaction.entity';

/*
 * The ledger invariants (checked by ledger:verify, see ledger-check.ts), per user, on point_balances
 * (a user without a row has zero balances and level points_level(0)):
 *   available - debt = Σ amount of 'posted' entries
 *   pending          = Σ amount of 'pending' entries
 *   total            = Σ amount of 'posted' entries of type 'earn' or 'clawback'
 *                      (lifetime earned net of clawbacks; spends, refunds of spends
 *                      and expiries do not change it)
 *   level            = points_level(total) (the SQL function: the one level rule), under lifetime
 *                      qualification (window_from NULL); under a level window (LEVEL_WINDOW_MONTHS,
 *                      level-window.ts) qualifying = Σ amount of those entries since window_from,
 *                      a write raises the level to points_level(qualifying) at once and only the
 *                      daily evaluation lowers it, so level >= points_level(qualifying)
 *   debt > 0 only while available = 0 (a credit settles debt first)
 *   seq              = how many statements moved these balances (trigger point_balances_seq)
 *   available        = Σ remaining of the user's point_lots: a posted credit opens a lot of what it
 *                      added to available, a debit takes what it removed from the lots soonest to
 *                      expire first (never-expiring last), in the statement that writes its entry
 * Every statement below keeps them in one SERIALIZABLE statement: it writes the entry, moves the
 * balances and reads the old and new level together.
 */

export interface Balances {
  total: number;
  available: number;
  pending: number;
  debt: number;
  level: number;
  /** Counts the changes of this user's balances (bumped by a trigger in the statement that moves them). */
  seq: number;
}

export interface LedgerEntry {
  id: string;
  userId: string;
  type: PointTransactionType;
  amount: number;
  source: PointSource;
  status: PointTransactionStatus;
  balanceAfter: number;
  description: string | null;
  metadata: Record<string, unknown>;
  idempotencyKey: string | null;
  createdAt: Date;
}

export interface EntryInput {
  userId: string;
  type: PointTransactionType;
  /** Signed: credits positive, debits negative. */
  amount: number;
  source: PointSource;
  status: 'posted' | 'pending';
  description: string | null;
  metadata: Record<string, unknown>;
  idempotencyKey: string;
  /** What the entry adds to the balance's total. */
  totalDelta: number;
  /** A clawback may leave a debt; a spend must find enough available. */
  allowDebt: boolean;
  /** A clawback also reaches a closed (soft-deleted) account: its ledger is kept, so what it was paid is taken back. */
  includeClosed: boolean;
}

/** What a write takes from the clock and the program's settings. */
export interface WriteTerms {
  /** The entry's time and its lot's opening. */
  now: Date;
  /** When a lot opened now expires: `days` 0 = never. */
  days: number;
  /** The level window's start for a balance created now; null under lifetime qualification. */
  windowFrom: Date | null;
}

export interface ExpiryInput {
  userId: string;
  /** Lots with expires_at at or before this expire. */
  at: Date;
  idempotencyKey: string;
}

export interface DueReminder {
  amount: number;
  expiresAt: Date;
}

export interface WriteOutcome {
  existing: LedgerEntry | null;
  entry: LedgerEntry | null;
  before: Balances | null;
  after: Balances | null;
  levelName: string | null;
}

const BALANCE_COLUMNS = `total, available, pending, debt, level, seq`;

/**
 * The level of the balance at `b` once its total is `total` and its qualifying points are
 * `qualifying`: lifetime (no window) follows the total both ways; a window only raises it.
 */
const levelAfter = (b: string, total: string, qualifying: string) =>
  `CASE WHEN ${b}.window_from IS NULL THEN points_level(${total}) ELSE GREATEST(${b}.level, points_level(${qualifying})) END`;

/**
 * The balances after a move of `$2` ($5 = 'posted' or 'pending') and `$9` on total (and on the
 * qualifying points), from the balances at `b`.
 */
const moved = (b: string) => `
    ${b}.total + $9::bigint,
    CASE WHEN $5::text = 'posted' THEN GREATEST(${b}.available - ${b}.debt + $2::bigint, 0) ELSE ${b}.available END,
    ${b}.pending + CASE WHEN $5::text = 'pending' THEN $2::bigint ELSE 0 END,
    CASE WHEN $5::text = 'posted' THEN GREATEST(${b}.debt - ${b}.available - $2::bigint, 0) ELSE ${b}.debt END,
    ${levelAfter(b, `${b}.total + $9::bigint`, `${b}.qualifying + $9::bigint`)},
    ${b}.qualifying + $9::bigint`;

/** A lot opened at `now` ($now) expires `days` ($days) later, or never when `days` is 0. */
export const lotExpiry = (days: string, now: string) =>
  `CASE WHEN ${days}::int > 0 THEN ${now}::timestamptz + make_interval(days => ${days}::int) END`;

/**
 * Takes -lot_move.d (a debit's cut of available) from the user's open lots, soonest to expire
 * first: each lot gives what the lots before it left to take. `before` is what those lots hold.
 * `debit` is a condition on parameters only: it becomes a one-time filter, so a credit never
 * scans the lots and takes no SIREAD locks on their index (which would fail concurrent awards).
 */
/** The order in which a debit takes a user's open lots (alias `l`): soonest to expire first, never-expiring last. */
export const LOT_ORDER = `l.expires_at ASC NULLS LAST, l.created_at, l.id`;

const takeLots = (user: string, debit: string) => `lot_order AS (
  SELECT l.id, l.remaining,
         SUM(l.remaining) OVER (ORDER BY ${LOT_ORDER}) - l.remaining AS before
  FROM point_lots l, lot_move m WHERE ${debit} AND l.user_id = ${user} AND l.remaining > 0 AND m.d < 0
), lot_take AS (
  UPDATE point_lots l SET remaining = l.remaining - LEAST(o.remaining, -m.d - o.before)
  FROM lot_order o, lot_move m WHERE l.id = o.id AND o.before < -m.d
  RETURNING l.id
)`;

/*
 * A user's first write creates their balance row (the INSERT), every later one moves it (ON
 * CONFLICT DO UPDATE, from the row as it is, with the same guard). Under SERIALIZABLE `old` is that
 * row: a row written by a transaction this one cannot see fails it with a serialization error,
 * and it is retried.
 */
const WRITE_ENTRY = `
WITH existing AS (
  SELECT * FROM point_transactions WHERE idempotency_key = $8
), old AS (
  SELECT u.id, COALESCE(b.total, 0) AS total, COALESCE(b.available, 0) AS available, COALESCE(b.pending, 0) AS pending,
         COALESCE(b.debt, 0) AS debt, COALESCE(b.level, points_level(0)) AS level, COALESCE(b.seq, 0) AS seq,
         CASE WHEN b.user_id IS NULL THEN $14::timestamptz ELSE b.window_from END AS window_from,
         CASE WHEN b.user_id IS NULL AND $14::timestamptz IS NOT NULL THEN 0 ELSE b.qualifying END AS qualifying
  FROM users u LEFT JOIN point_balances b ON b.user_id = u.id
  WHERE u.id = $1 AND ($11::boolean OR u.deleted_at IS NULL) AND NOT EXISTS (SELECT 1 FROM existing)
), upd AS (
  INSERT INTO point_balances AS b (user_id, total, available, pending, debt, level, qualifying, seq, window_from)
  SELECT old.id, ${moved('old')}, old.seq + 1, old.window_from
  FROM old WHERE $10::boolean OR old.available + $2::bigint >= 0
  ON CONFLICT (user_id) DO UPDATE SET
    (total, available, pending, debt, level, qualifying, updated_at) = (${moved('b')}, now())
  WHERE $10::boolean OR b.available + $2::bigint >= 0
  RETURNING ${BALANCE_COLUMNS}
), ins AS (
  INSERT INTO point_transactions (user_id, type, amount, source, status, balance_after, description, metadata, idempotency_key, created_at)
  SELECT $1, $3, $2::bigint, $4, $5::text, upd.available, $6, $7::jsonb, $8, $13::timestamptz FROM upd
  RETURNING *
), lot_move AS (
  SELECT x.available - o.available AS d FROM upd x, old o
), lot_open AS (
  INSERT INTO point_lots (user_id, entry_id, amount, remaining, expires_at, created_at)
  SELECT $1, i.id, m.d, m.d, ${lotExpiry('$12', '$13')}, $13::timestamptz FROM ins i, lot_move m WHERE m.d > 0
  RETURNING id
), ${takeLots('$1', '$2::bigint < 0')}
SELECT (SELECT row_to_json(e) FROM existing e) AS existing,
       (SELECT row_to_json(i) FROM ins i) AS entry,
       (SELECT row_to_json(o) FROM old o) AS before,
       (SELECT row_to_json(x) FROM upd x) AS after,
       (SELECT lc.name FROM level_configs lc, upd x WHERE lc.level = x.level) AS level_name`;

/** What a released held entry adds to the qualifying points: its earn, if written inside the window. */
const heldQualifying = `CASE WHEN $2::text = 'posted' AND f.type = 'earn' AND f.created_at > b.window_from THEN f.amount ELSE 0 END`;

/**
 * Flips a pending entry to posted ($2 = 'posted') or voided ($2 = 'voided') and moves the balances
 * with it. The write of the pending entry created the user's balance row.
 */
const SETTLE_PENDING = `
WITH existing AS (
  SELECT * FROM point_transactions WHERE idempotency_key = $1
), flip AS (
  UPDATE point_transactions p SET status = $2::text
  FROM existing e WHERE p.id = e.id AND e.status = 'pending'
  RETURNING p.*
), old AS (
  SELECT b.user_id AS id, b.${BALANCE_COLUMNS.replace(/, /g, ', b.')} FROM point_balances b JOIN flip f ON b.user_id = f.user_id
), upd AS (
  UPDATE point_balances b SET
    pending = b.pending - f.amount,
    available = CASE WHEN $2::text = 'posted' THEN GREATEST(b.available - b.debt + f.amount, 0) ELSE b.available END,
    debt = CASE WHEN $2::text = 'posted' THEN GREATEST(b.debt - b.available - f.amount, 0) ELSE b.debt END,
    total = b.total + CASE WHEN $2::text = 'posted' AND f.type = 'earn' THEN f.amount ELSE 0 END,
    level = ${levelAfter('b', `b.total + CASE WHEN $2::text = 'posted' AND f.type = 'earn' THEN f.amount ELSE 0 END`, `b.qualifying + ${heldQualifying}`)},
    qualifying = b.qualifying + ${heldQualifying},
    updated_at = now()
  FROM flip f WHERE b.user_id = f.user_id
  RETURNING b.${BALANCE_COLUMNS.replace(/, /g, ', b.')}
), lot_open AS (
  INSERT INTO point_lots (user_id, entry_id, amount, remaining, expires_at, created_at)
  SELECT f.user_id, f.id, x.available - o.available, x.available - o.available, ${lotExpiry('$3', '$4')}, $4::timestamptz
  FROM flip f, upd x, old o WHERE x.available > o.available
  RETURNING id
)
SELECT (SELECT row_to_json(e) FROM existing e) AS existing,
       (SELECT row_to_json(f) FROM flip f) AS entry,
       (SELECT row_to_json(o) FROM old o) AS before,
       (SELECT row_to_json(x) FROM upd x) AS after,
       (SELECT lc.name FROM level_configs lc, upd x WHERE lc.level = x.level) AS level_name`;

/**
 * Expires the user's lots due at $2: their remaining leaves available (never total, never into
 * debt: capped at available) as one 'expire' entry naming them, and they are emptied.
 */
const EXPIRE_LOTS = `
WITH due AS (
  SELECT l.id, l.remaining FROM point_lots l
  WHERE l.user_id = $1 AND l.remaining > 0 AND l.expires_at <= $2::timestamptz
), old AS (
  SELECT b.user_id AS id, b.${BALANCE_COLUMNS.replace(/, /g, ', b.')} FROM point_balances b WHERE b.user_id = $1
), amt AS (
  SELECT LEAST((SELECT COALESCE(SUM(remaining), 0) FROM due), o.available) AS n FROM old o
), upd AS (
  UPDATE point_balances b SET available = b.available - a.n, updated_at = now()
  FROM amt a WHERE b.user_id = $1 AND a.n > 0
  RETURNING b.${BALANCE_COLUMNS.replace(/, /g, ', b.')}
), ins AS (
  INSERT INTO point_transactions (user_id, type, amount, source, status, balance_after, description, metadata, idempotency_key)
  SELECT $1, 'expire', -a.n, 'system', 'posted', x.available, 'Points expired',
         jsonb_build_object('lots', (SELECT jsonb_agg(d.id ORDER BY d.id) FROM due d), 'expiredAt', $3::text), $4
  FROM upd x, amt a
  RETURNING *
), emptied AS (
  UPDATE point_lots l SET remaining = 0 FROM due d WHERE l.id = d.id AND EXISTS (SELECT 1 FROM upd)
  RETURNING l.id
)
SELECT NULL::json AS existing,
       (SELECT row_to_json(i) FROM ins i) AS entry,
       (SELECT row_to_json(o) FROM old o) AS before,
       (SELECT row_to_json(x) FROM upd x) AS after,
       (SELECT lc.name FROM level_configs lc, upd x WHERE lc.level = x.level) AS level_name`;

/** Marks the user's lots expiring in ($2, $2 + $3 days] as reminded, once; returns them. */
const MARK_REMINDED = `
UPDATE point_lots SET reminded_at = $2::timestamptz
WHERE user_id = $1 AND remaining > 0 AND reminded_at IS NULL
  AND expires_at > $2::timestamptz AND expires_at <= $2::timestamptz + make_interval(days => $3::int)
RETURNING remaining, expires_at`;

/** Lots opened while expiry was off expire `days` after expiry was turned on (the first run that sees them). */
const DATE_OPEN_LOTS = `
UPDATE point_lots SET expires_at = $1::timestamptz + make_interval(days => $2::int)
WHERE remaining > 0 AND expires_at IS NULL`;

@Injectable()
export class PointsLedgerRepository {
  /** Writes one entry with its balance move, or reports the entry that already holds the key. */
  async writeEntry(manager: EntityManager, input: EntryInput, terms: WriteTerms): Promise<WriteOutcome> {
    const [row] = await manager.query(WRITE_ENTRY, [
      input.userId,
      input.amount,
      input.type,
      input.source,
      input.status,
      input.description,
      JSON.stringify(input.metadata),
      input.idempotencyKey,
      input.totalDelta,
      input.allowDebt,
      input.includeClosed,
      terms.days,
      terms.now,
      terms.windowFrom,
    ]);
    return toOutcome(row);
  }

  async settlePending(manager: EntityManager, idempotencyKey: string, to: 'posted' | 'voided', terms: WriteTerms): Promise<WriteOutcome> {
    const [row] = await manager.query(SETTLE_PENDING, [idempotencyKey, to, terms.days, terms.now]);
    return toOutcome(row);
  }

  /** Writes the user's 'expire' entry for their lots due at `at`; `entry` is null when none were. */
  async expireLots(manager: EntityManager, input: ExpiryInput): Promise<WriteOutcome> {
    const [row] = await manager.query(EXPIRE_LOTS, [input.userId, input.at, input.at.toISOString(), input.idempotencyKey]);
    return toOutcome(row);
  }

  async markReminded(manager: EntityManager, userId: string, now: Date, reminderDays: number): Promise<DueReminder[]> {
    const [rows] = await manager.query(MARK_REMINDED, [userId, now, reminderDays]);
    return (rows as Array<{ remaining: string; expires_at: string }>).map((r) => ({ amount: Number(r.remaining), expiresAt: new Date(r.expires_at) }));
  }

  /** How many lots got a date. */
  async dateOpenLots(manager: EntityManager, now: Date, days: number): Promise<number> {
    const [, count] = await manager.query(DATE_OPEN_LOTS, [now, days]);
    return Number(count);
  }
}

type Json = Record<string, unknown> | null;

function toOutcome(row: { existing: Json; entry: Json; before: Json; after: Json; level_name: string | null }): WriteOutcome {
  return {
    existing: row.existing && toEntry(row.existing),
    entry: row.entry && toEntry(row.entry),
    before: row.before && toBalances(row.before),
    after: row.after && toBalances(row.after),
    levelName: row.level_name,
  };
}

export function toEntry(r: Record<string, unknown>): LedgerEntry {
  return {
    id: r.id as string,
    userId: r.user_id as string,
    type: r.type as PointTransactionType,
    amount: Number(r.amount),
    source: r.source as PointSource,
    status: r.status as PointTransactionStatus,
    balanceAfter: Number(r.balance_after),
    description: (r.description as string | null) ?? null,
    metadata: (r.metadata as Record<string, unknown>) ?? {},
    idempotencyKey: (r.idempotency_key as string | null) ?? null,
    createdAt: new Date(r.created_at as string),
  };
}

function toBalances(r: Record<string, unknown>): Balances {
  return {
    total: Number(r.total),
    available: Number(r.available),
    pending: Number(r.pending),
    debt: Number(r.debt),
    level: Number(r.level),
    seq: Number(r.seq),
  };
}
