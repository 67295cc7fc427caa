import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { ChainLink, RewardChain } from './reward-rules';

export type PurchaseStatus = 'completed' | 'partially_refunded' | 'refunded';

export interface PurchaseRow {
  id: string;
  orderId: string;
  userId: string;
  amount: number;
  currency: string;
  completedAt: Date;
  status: PurchaseStatus;
  refundedAmount: number;
  createdAt: Date;
}

/** An award or clawback of one purchase, as the ledger holds it. */
export interface OrderEntry {
  userId: string;
  type: string;
  amount: number;
  source: string;
  status: 'posted' | 'pending' | 'voided';
  key: string;
  role: string;
  level: number;
  awardKey: string | null;
  refereeId: string | null;
  heldFor: string[];
  releaseAfter: Date | null;
  due: boolean;
}

const PURCHASE_COLUMNS = `id, order_id, user_id, amount, currency, completed_at, status, refunded_amount, created_at`;

@Injectable()
export class PurchasesRepository {
  /** Inserts the order once; null when an order with this id already exists or the user does not. */
  async insert(
    m: EntityManager,
    p: { orderId: string; userId: string; amount: number; currency: string; completedAt: string | null },
  ): Promise<PurchaseRow | null> {
    const [row] = await m.query(
      `INSERT INTO purchases (order_id, user_id, amount, currency, completed_at)
       SELECT $1, u.id, $3, $4, COALESCE($5::timestamptz, now()) FROM users u WHERE u.id = $2 AND u.deleted_at IS NULL
       ON CONFLICT (order_id) DO NOTHING
       RETURNING ${PURCHASE_COLUMNS}`,
      [p.orderId, p.userId, p.amount, p.currency, p.completedAt],
    );
    return row ? toPurchase(row) : null;
  }

  async findByOrderId(m: EntityManager, orderId: string, lock = false): Promise<PurchaseRow | null> {
    const [row] = await m.query(`SELECT ${PURCHASE_COLUMNS} FROM purchases WHERE order_id = $1 ${lock ? 'FOR UPDATE' : ''}`, [orderId]);
    return row ? toPurchase(row) : null;
  }

  async findById(m: EntityManager, purchaseId: string): Promise<PurchaseRow | null> {
    const [row] = await m.query(`SELECT ${PURCHASE_COLUMNS} FROM purchases WHERE id = $1`, [purchaseId]);
    return row ? toPurchase(row) : null;
  }

  /** FOR SHARE lets awards of one order run side by side while a refund (FOR UPDATE) waits for them. */
  async lock(m: EntityManager, purchaseId: string, mode: 'share' | 'update'): Promise<PurchaseRow | null> {
    const [row] = await m.query(
      `SELECT ${PURCHASE_COLUMNS} FROM purchases WHERE id = $1 ${mode === 'share' ? 'FOR SHARE' : 'FOR UPDATE'}`,
      [purchaseId],
    );
    return row ? toPurchase(row) : null;
  }

  async recordRefund(m: EntityManager, purchaseId: string, refundedTotal: number): Promise<void> {
    await m.query(
      `UPDATE purchases SET refunded_amount = $2,
              status = CASE WHEN $2::bigint = amount THEN 'refunded' ELSE 'partially_refunded' END, updated_at = now()
        WHERE id = $1`,
      [purchaseId, refundedTotal],
    );
  }

  /** The buyer's referral and, one level up, the referral of the buyer's referrer. */
  async chainOf(m: EntityManager, buyerId: string): Promise<RewardChain> {
    const rows: Array<Record<string, any>> = await m.query(
      `SELECT 1 AS depth, r.id, r.status, r.referrer_id, r.created_at FROM referrals r WHERE r.referee_id = $1
       UNION ALL
       SELECT 2, r2.id, r2.status, r2.referrer_id, r2.created_at
         FROM referrals r1 JOIN referrals r2 ON r2.referee_id = r1.referrer_id WHERE r1.referee_id = $1`,
      [buyerId],
    );
    const link = (depth: number): ChainLink | null => {
      const r = rows.find((x) => Number(x.depth) === depth);
      return r ? { id: r.id, status: r.status, referrerId: r.referrer_id, createdAt: new Date(r.created_at) } : null;
    };
    return { referral: link(1), parent: link(2) };
  }

  /** Every award and clawback of the purchase, with whether a held award may be released now. */
  async entriesOf(m: EntityManager, purchaseId: string): Promise<OrderEntry[]> {
    const rows: Array<Record<string, any>> = await m.query(
      `SELECT p.user_id, p.type, p.amount, p.source, p.status, p.idempotency_key, p.metadata,
              COALESCE((p.metadata->>'releaseAfter')::timestamptz <= now(), true) AS due
         FROM point_transactions p
        WHERE p.metadata->>'purchaseId' = $1 AND p.metadata ? 'purchaseId'
        ORDER BY p.created_at, p.id`,
      [purchaseId],
    );
    return rows.map((r) => ({
      userId: r.user_id,
      type: r.type,
      amount: Number(r.amount),
      source: r.source,
      status: r.status,
      key: r.idempotency_key,
      role: r.metadata.role,
      level: Number(r.metadata.level),
      awardKey: r.metadata.awardKey ?? null,
      refereeId: r.metadata.refereeId ?? null,
      heldFor: Array.isArray(r.metadata.heldFor) ? r.metadata.heldFor : [],
      releaseAfter: r.metadata.releaseAfter ? new Date(r.metadata.releaseAfter) : null,
      due: r.due,
    }));
  }

  /**
   * Refunded orders whose ledger lags their refund: a posted award clawed back by less than the
   * refunded share, or a held award of a fully refunded order not voided. Empty while every
   * refund job has done its work.
   */
  async unsettledRefunds(m: EntityManager): Promise<string[]> {
    const rows: Array<{ id: string }> = await m.query(
      `SELECT DISTINCT p.id FROM purchases p
         JOIN point_transactions a ON a.metadata->>'purchaseId' = p.id::text AND a.metadata ? 'purchaseId'
        WHERE p.refunded_amount > 0 AND a.type = 'earn' AND a.idempotency_key LIKE 'purchase:%'
          AND ((a.status = 'pending' AND p.refunded_amount >= p.amount)
            OR (a.status = 'posted' AND COALESCE((
                  SELECT -sum(c.amount) FROM point_transactions c
                   WHERE c.metadata->>'purchaseId' = p.id::text AND c.metadata ? 'purchaseId'
                     AND c.type = 'clawback' AND c.metadata->>'awardKey' = a.idempotency_key), 0)
                < CASE WHEN p.refunded_amount >= p.amount THEN a.amount
                       ELSE floor(a.amount::numeric * p.refunded_amount / p.amount) END))`,
    );
    return rows.map((r) => r.id);
  }

  async referralStatuses(m: EntityManager, ids: string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const rows: Array<{ id: string; status: string }> = await m.query(`SELECT id, status FROM referrals WHERE id = ANY($1::uuid[])`, [ids]);
    return new Map(rows.map((r) => [r.id, r.status]));
  }

  /** Purchases with an award still held for this referral's review. */
  async purchasesHeldFor(m: EntityManager, referralId: string): Promise<string[]> {
    const rows: Array<{ purchase_id: string }> = await m.query(
      `SELECT DISTINCT p.metadata->>'purchaseId' AS purchase_id FROM point_transactions p
        WHERE p.status = 'pending' AND p.metadata->'heldFor' ? $1`,
      [referralId],
    );
    return rows.map((r) => r.purchase_id);
  }
}

function toPurchase(r: Record<string, any>): PurchaseRow {
  return {
    id: r.id,
    orderId: r.order_id,
    userId: r.user_id,
    amount: Number(r.amount),
    currency: r.currency,
    completedAt: new Date(r.completed_at),
    status: r.status,
    refundedAmount: Number(r.refunded_amount),
    createdAt: new Date(r.created_at),
  };
}
