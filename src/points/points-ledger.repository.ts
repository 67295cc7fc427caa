import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { PointSource, PointTransactionStatus, PointTransactionType } from './entities/point-transaction.entity';

/*
 * The ledger invariants (checked by ledger:verify, see ledger-check.ts), per user:
 *   points_available - points_debt = Σ amount of 'posted' entries
 *   points_pending                = Σ amount of 'pending' entries
 *   points_total                  = Σ amount of 'posted' entries of type 'earn' or 'clawback'
 *                                   (lifetime earned net of clawbacks; spends, refunds of spends
 *                                   and expiries do not change it)
 *   level                         = the highest level_configs tier with min_points <= points_total
 *   points_debt > 0 only while points_available = 0 (a credit settles debt first)
 *   points_seq                    = how many statements moved these balances (trigger users_points_seq)
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
  /** What the entry adds to points_total. */
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

/** SQL for the level a points total reaches under level_configs (the ledger invariant). */
export const LEVEL_OF = (total: string) =>
  `COALESCE((SELECT lc.level FROM level_configs lc WHERE lc.min_points <= ${total} ORDER BY lc.min_points DESC LIMIT 1), 1)`;

const BALANCE_COLUMNS = `points_total AS total, points_available AS available, points_pending AS pending, points_debt AS debt, level, points_seq AS seq`;

const WRITE_ENTRY = `
WITH existing AS (
  SELECT * FROM point_transactions WHERE idempotency_key = $8
), old AS (
  SELECT id, ${BALANCE_COLUMNS} FROM users
  WHERE id = $1 AND ($11::boolean OR deleted_at IS NULL) AND NOT EXISTS (SELECT 1 FROM existing)
), upd AS (
  UPDATE users u SET
    points_available = CASE WHEN $5::text = 'posted' THEN GREATEST(u.points_available - u.points_debt + $2::bigint, 0) ELSE u.points_available END,
    points_debt = CASE WHEN $5::text = 'posted' THEN GREATEST(u.points_debt - u.points_available - $2::bigint, 0) ELSE u.points_debt END,
    points_pending = u.points_pending + CASE WHEN $5::text = 'pending' THEN $2::bigint ELSE 0 END,
    points_total = u.points_total + $9::bigint,
    level = ${LEVEL_OF('u.points_total + $9::bigint')},
    updated_at = now()
  FROM old
  WHERE u.id = old.id AND ($10::boolean OR u.points_available + $2::bigint >= 0)
  RETURNING u.${BALANCE_COLUMNS.replace(/, /g, ', u.')}
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

/** Flips a pending entry to posted ($2 = 'posted') or voided ($2 = 'voided') and moves the balances with it. */
const SETTLE_PENDING = `
WITH existing AS (
  SELECT * FROM point_transactions WHERE idempotency_key = $1
), flip AS (
  UPDATE point_transactions p SET status = $2::text
  FROM existing e WHERE p.id = e.id AND e.status = 'pending'
  RETURNING p.*
), old AS (
  SELECT u.id, u.${BALANCE_COLUMNS.replace(/, /g, ', u.')} FROM users u JOIN flip f ON u.id = f.user_id
), upd AS (
  UPDATE users u SET
    points_pending = u.points_pending - f.amount,
    points_available = CASE WHEN $2::text = 'posted' THEN GREATEST(u.points_available - u.points_debt + f.amount, 0) ELSE u.points_available END,
    points_debt = CASE WHEN $2::text = 'posted' THEN GREATEST(u.points_debt - u.points_available - f.amount, 0) ELSE u.points_debt END,
    points_total = u.points_total + CASE WHEN $2::text = 'posted' AND f.type = 'earn' THEN f.amount ELSE 0 END,
    level = ${LEVEL_OF(`u.points_total + CASE WHEN $2::text = 'posted' AND f.type = 'earn' THEN f.amount ELSE 0 END`)},
    updated_at = now()
  FROM flip f WHERE u.id = f.user_id
  RETURNING u.${BALANCE_COLUMNS.replace(/, /g, ', u.')}
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
