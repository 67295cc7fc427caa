import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AwardRole, ChainLink, RewardChain } from './reward-rules';

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

/** An award of one purchase, as purchase_awards links it to its ledger entry. */
export interface OrderAward {
  id: string;
  ledgerEntryId: string;
  userId: string;
  amount: number;
  source: string;
  state: AwardState;
  key: string;
  role: AwardRole;
  level: number;
  refereeId: string;
  heldFor: string[];
  releaseAfter: Date | null;
  /** Whether a held award's holding period is over. */
  due: boolean;
  clawedBack: number;
}

export type AwardState = 'held' | 'posted' | 'voided';

export interface NewAward {
  purchaseId: string;
  userId: string;
  role: AwardRole;
  level: number;
  ledgerEntryId: string;
  amount: number;
  state: 'held' | 'posted';
  heldFor: string[];
  releaseAfter: Date | null;
  rulesVersion: number;
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
    return (await this.findByIds(m, [purchaseId])).get(purchaseId) ?? null;
  }

  async findByIds(m: EntityManager, purchaseIds: string[]): Promise<Map<string, PurchaseRow>> {
    const rows: unknown[] = await m.query(`SELECT ${PURCHASE_COLUMNS} FROM purchases WHERE id = ANY($1::uuid[])`, [purchaseIds]);
    return new Map(rows.map(toPurchase).map((p) => [p.id, p]));
  }

  /** FOR SHARE lets awards of one order run side by side while a refund (FOR UPDATE) waits for them. */
  async lock(m: EntityManager, purchaseId: string, mode: 'share' | 'update'): Promise<PurchaseRow | null> {
    return (await this.lockMany(m, [purchaseId], mode)).get(purchaseId) ?? null;
  }

  /** Locks in id order, so two batches sharing orders cannot deadlock on them. */
  async lockMany(m: EntityManager, purchaseIds: string[], mode: 'share' | 'update'): Promise<Map<string, PurchaseRow>> {
    const rows: unknown[] = await m.query(
      `SELECT ${PURCHASE_COLUMNS} FROM purchases WHERE id = ANY($1::uuid[]) ORDER BY id ${mode === 'share' ? 'FOR SHARE' : 'FOR UPDATE'}`,
      [purchaseIds],
    );
    return new Map(rows.map(toPurchase).map((p) => [p.id, p]));
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
    return (await this.chainsOf(m, [buyerId])).get(buyerId)!;
  }

  /** `chainOf` of many buyers in one read; every buyer asked for has an entry. */
  async chainsOf(m: EntityManager, buyerIds: string[]): Promise<Map<string, RewardChain>> {
    const rows: Array<Record<string, any>> = await m.query(
      `SELECT r.referee_id AS buyer_id, 1 AS depth, r.id, r.status, r.referrer_id, r.created_at FROM referrals r WHERE r.referee_id = ANY($1::uuid[])
       UNION ALL
       SELECT r1.referee_id, 2, r2.id, r2.status, r2.referrer_id, r2.created_at
         FROM referrals r1 JOIN referrals r2 ON r2.referee_id = r1.referrer_id WHERE r1.referee_id = ANY($1::uuid[])`,
      [buyerIds],
    );
    const chains = new Map<string, RewardChain>(buyerIds.map((id) => [id, { referral: null, parent: null }]));
    for (const r of rows) {
      const link: ChainLink = { id: r.id, status: r.status, referrerId: r.referrer_id, createdAt: new Date(r.created_at) };
      const chain = chains.get(r.buyer_id)!;
      if (Number(r.depth) === 1) chain.referral = link;
      else chain.parent = link;
    }
    return chains;
  }

  /** Every award of the purchase with its ledger key, and whether a held award may be released at `at` (its release_after reached). */
  async awardsOf(m: EntityManager, purchaseId: string, at: Date): Promise<OrderAward[]> {
    return (await this.awardsOfMany(m, [purchaseId], at)).get(purchaseId) ?? [];
  }

  /** `awardsOf` of many purchases in one read, by purchase id (purchases without awards are absent). */
  async awardsOfMany(m: EntityManager, purchaseIds: string[], at: Date): Promise<Map<string, OrderAward[]>> {
    const rows: Array<Record<string, any>> = await m.query(
      `SELECT a.purchase_id, a.id, a.ledger_entry_id, a.user_id, a.amount, a.state, a.role, a.level, a.held_for, a.release_after, a.clawed_back,
              COALESCE(a.release_after <= $2::timestamptz, true) AS due, t.source, t.idempotency_key, pu.user_id AS referee_id
         FROM purchase_awards a
         JOIN point_transactions t ON t.id = a.ledger_entry_id
         JOIN purchases pu ON pu.id = a.purchase_id
        WHERE a.purchase_id = ANY($1::uuid[])
        ORDER BY a.created_at, a.id`,
      [purchaseIds, at],
    );
    const byPurchase = new Map<string, OrderAward[]>();
    for (const r of rows) {
      const awards = byPurchase.get(r.purchase_id) ?? [];
      awards.push({
        id: r.id,
        ledgerEntryId: r.ledger_entry_id,
        userId: r.user_id,
        amount: Number(r.amount),
        source: r.source,
        state: r.state,
        key: r.idempotency_key,
        role: r.role,
        level: Number(r.level),
        refereeId: r.referee_id,
        heldFor: r.held_for ?? [],
        releaseAfter: r.release_after ? new Date(r.release_after) : null,
        due: r.due,
        clawedBack: Number(r.clawed_back),
      });
      byPurchase.set(r.purchase_id, awards);
    }
    return byPurchase;
  }

  /** Links an award entry to its purchase; false when the entry was linked already (a replayed award). */
  async linkAward(m: EntityManager, a: NewAward): Promise<boolean> {
    return (await this.linkAwards(m, [a])).has(a.ledgerEntryId);
  }

  /** The links in one statement; the ledger entry ids newly linked (one linked before, a replayed award, is left out). */
  async linkAwards(m: EntityManager, awards: NewAward[]): Promise<Set<string>> {
    if (awards.length === 0) return new Set();
    const rows: Array<{ ledger_entry_id: string }> = await m.query(
      `INSERT INTO purchase_awards (purchase_id, user_id, role, level, ledger_entry_id, amount, state, held_for, release_after, rules_version)
       SELECT a.purchase_id, a.user_id, a.role, a.level, a.ledger_entry_id, a.amount, a.state,
              ARRAY(SELECT jsonb_array_elements_text(a.held_for))::uuid[], a.release_after, a.rules_version
         FROM jsonb_to_recordset($1::jsonb) AS a(purchase_id uuid, user_id uuid, role varchar, level int, ledger_entry_id uuid, amount int,
                                                 state varchar, held_for jsonb, release_after timestamptz, rules_version int)
       ON CONFLICT (ledger_entry_id) DO NOTHING
       RETURNING ledger_entry_id`,
      [JSON.stringify(awards.map((a) => ({
        purchase_id: a.purchaseId, user_id: a.userId, role: a.role, level: a.level, ledger_entry_id: a.ledgerEntryId, amount: a.amount,
        state: a.state, held_for: a.heldFor, release_after: a.releaseAfter, rules_version: a.rulesVersion,
      })))],
    );
    return new Set(rows.map((r) => r.ledger_entry_id));
  }

  /** A held award released or voided; false when it was not held any more. */
  async settleAward(m: EntityManager, awardId: string, to: 'posted' | 'voided'): Promise<boolean> {
    const [, affected] = (await m.query(
      `UPDATE purchase_awards SET state = $2::varchar,
              released_at = CASE WHEN $2::varchar = 'posted' THEN now() END,
              voided_at = CASE WHEN $2::varchar = 'voided' THEN now() END,
              updated_at = now()
        WHERE id = $1 AND state = 'held'`,
      [awardId, to],
    )) as [unknown, number];
    return affected > 0;
  }

  /** Links a clawback entry to its award and adds it to the award's clawed_back; false when it was linked already. */
  async linkClawback(m: EntityManager, c: { awardId: string; ledgerEntryId: string; amount: number; refundedTotal: number }): Promise<boolean> {
    const [row] = await m.query(
      `WITH link AS (
         INSERT INTO purchase_award_clawbacks (ledger_entry_id, award_id, amount, refunded_total)
         VALUES ($1, $2, $3, $4)
         ON CONFLICT (ledger_entry_id) DO NOTHING
         RETURNING award_id, amount
       ), upd AS (
         UPDATE purchase_awards a SET clawed_back = a.clawed_back + l.amount, updated_at = now()
           FROM link l WHERE a.id = l.award_id
         RETURNING a.id
       )
       SELECT count(*)::int AS n FROM upd`,
      [c.ledgerEntryId, c.awardId, c.amount, c.refundedTotal],
    );
    return row.n > 0;
  }

  /**
   * Refunded orders whose ledger lags their refund: a posted award clawed back by less than the
   * refunded share, or a held award of a fully refunded order not voided. Empty while every
   * refund job has done its work.
   */
  async unsettledRefunds(m: EntityManager): Promise<string[]> {
    const rows: Array<{ id: string }> = await m.query(
      `SELECT DISTINCT p.id FROM purchases p
         JOIN purchase_awards a ON a.purchase_id = p.id
        WHERE p.refunded_amount > 0
          AND ((a.state = 'held' AND p.refunded_amount >= p.amount)
            OR (a.state = 'posted' AND a.clawed_back
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
      `SELECT DISTINCT purchase_id FROM held_awards WHERE held_for @> ARRAY[$1::uuid]`,
      [referralId],
    );
    return rows.map((r) => r.purchase_id);
  }
}

function toPurchase(row: unknown): PurchaseRow {
  const r = row as Record<string, any>;
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
