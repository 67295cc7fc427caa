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
 *   level            = points_level(total) (the SQL function: the one level rule)
 *   debt > 0 only while available = 0 (a credit settles debt first)
 *   seq              = how many statements moved these balances (trigger point_balances_seq)
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

export interface WriteOutcome {
  existing: LedgerEntry | null;
  entry: LedgerEntry | null;
  before: Balances | null;
  after: Balances | null;
  levelName: string | null;
}

const BALANCE_COLUMNS = `total, available, pending, debt, level, seq`;

/** The balances after a move of `$2` ($5 = 'posted' or 'pending') and `$9` on total, from the balances at `b`. */
const moved = (b: string) => `
    ${b}.total + $9::bigint,
    CASE WHEN $5::text = 'posted' THEN GREATEST(${b}.available - ${b}.debt + $2::bigint, 0) ELSE ${b}.available END,
    ${b}.pending + CASE WHEN $5::text = 'pending' THEN $2::bigint ELSE 0 END,
    CASE WHEN $5::text = 'posted' THEN GREATEST(${b}.debt - ${b}.available - $2::bigint, 0) ELSE ${b}.debt END,
    points_level(${b}.total + $9::bigint)`;

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
         COALESCE(b.debt, 0) AS debt, COALESCE(b.level, points_level(0)) AS level, COALESCE(b.seq, 0) AS seq
  FROM users u LEFT JOIN point_balances b ON b.user_id = u.id
  WHERE u.id = $1 AND ($11::boolean OR u.deleted_at IS NULL) AND NOT EXISTS (SELECT 1 FROM existing)
), upd AS (
  INSERT INTO point_balances AS b (user_id, total, available, pending, debt, level, seq)
  SELECT old.id, ${moved('old')}, old.seq + 1
  FROM old WHERE $10::boolean OR old.available + $2::bigint >= 0
  ON CONFLICT (user_id) DO UPDATE SET
    (total, available, pending, debt, level, updated_at) = (${moved('b')}, now())
  WHERE $10::boolean OR b.available + $2::bigint >= 0
  RETURNING ${BALANCE_COLUMNS}
), ins AS (
  INSERT INTO point_transactions (user_id, type, amount, source, status, balance_after, description, metadata, idempotency_key)
  SELECT $1, $3, $2::bigint, $4, $5::text, upd.available, $6, $7::jsonb, $8 FROM upd
  RETURNING *
)
SELECT (SELECT row_to_json(e) FROM existing e) AS existing,
       (SELECT row_to_json(i) FROM ins i) AS entry,
       (SELECT row_to_json(o) FROM old o) AS before,
       (SELECT row_to_json(x) FROM upd x) AS after,
       (SELECT lc.name FROM level_configs lc, upd x WHERE lc.level = x.level) AS level_name`;

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
    level = points_level(b.total + CASE WHEN $2::text = 'posted' AND f.type = 'earn' THEN f.amount ELSE 0 END),
    updated_at = now()
  FROM flip f WHERE b.user_id = f.user_id
  RETURNING b.${BALANCE_COLUMNS.replace(/, /g, ', b.')}
)
SELECT (SELECT row_to_json(e) FROM existing e) AS existing,
       (SELECT row_to_json(f) FROM flip f) AS entry,
       (SELECT row_to_json(o) FROM old o) AS before,
       (SELECT row_to_json(x) FROM upd x) AS after,
       (SELECT lc.name FROM level_configs lc, upd x WHERE lc.level = x.level) AS level_name`;

@Injectable()
export class PointsLedgerRepository {
  /** Writes one entry with its balance move, or reports the entry that already holds the key. */
  async writeEntry(manager: EntityManager, input: EntryInput): Promise<WriteOutcome> {
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
    ]);
    return toOutcome(row);
  }

  async settlePending(manager: EntityManager, idempotencyKey: string, to: 'posted' | 'voided'): Promise<WriteOutcome> {
    const [row] = await manager.query(SETTLE_PENDING, [idempotencyKey, to]);
    return toOutcome(row);
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
