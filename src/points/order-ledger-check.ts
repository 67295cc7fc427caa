import { DataSource, EntityManager } from 'typeorm';
import type { LedgerProblem } from './ledger-check';

/*
 * Per-order rules of the ledger (API.md, Purchases): every award of an order (an `earn` entry
 * keyed `purchase:…`) is clawed back at most by the refunded share of the order, never by more
 * than itself, and all of it (or it is voided) once the order is fully refunded; every clawback
 * names an award that exists, and every award an order that does. One pass over the awards and clawbacks grouped by award key (a
 * clawback's `awardKey`, an award's own key), joined to the orders.
 */
const AWARD_DIFFERENCES = `
WITH per_award AS (
  SELECT COALESCE(metadata->>'awardKey', idempotency_key) AS key,
         (array_agg(user_id) FILTER (WHERE type = 'earn'))[1] AS user_id,
         (array_agg(status) FILTER (WHERE type = 'earn'))[1] AS status,
         (array_agg(metadata->>'purchaseId') FILTER (WHERE type = 'earn'))[1] AS purchase_id,
         COALESCE(sum(amount) FILTER (WHERE type = 'earn'), 0) AS amount,
         COALESCE(-sum(amount) FILTER (WHERE type = 'clawback'), 0) AS taken,
         (array_agg(user_id) FILTER (WHERE type = 'clawback'))[1] AS clawback_user_id,
         (array_agg(id) FILTER (WHERE type = 'clawback'))[1] AS clawback_id
    FROM point_transactions
   WHERE (type = 'earn' AND idempotency_key LIKE 'purchase:%' AND metadata ? 'purchaseId')
      OR (type = 'clawback' AND metadata ? 'awardKey')
   GROUP BY 1
), checked AS (
  SELECT a.*, p.order_id, p.amount AS order_amount, p.refunded_amount,
         CASE WHEN p.refunded_amount >= p.amount THEN a.amount
              ELSE floor(a.amount::numeric * p.refunded_amount / p.amount) END AS share
    FROM per_award a LEFT JOIN purchases p ON p.id::text = a.purchase_id
)
SELECT * FROM checked
 WHERE user_id IS NULL OR order_id IS NULL
    OR (refunded_amount >= order_amount AND (status = 'pending' OR (status = 'posted' AND taken <> amount)))
    OR taken > amount OR taken > share OR (status <> 'posted' AND taken > 0)
 ORDER BY order_id, key`;

/** A redeem spend without its reward: points paid for nothing. */
const REDEEMS_WITHOUT_REWARD = `
SELECT p.user_id, p.id FROM point_transactions p
 WHERE p.type = 'spend' AND p.source = 'redeem'
   AND NOT EXISTS (SELECT 1 FROM reward_redemptions r WHERE r.transaction_id = p.id)
 ORDER BY p.user_id, p.id`;

export async function checkOrders(db: DataSource | EntityManager): Promise<LedgerProblem[]> {
  const problems: LedgerProblem[] = [];
  for (const r of await db.query(AWARD_DIFFERENCES)) {
    if (r.user_id === null) {
      problems.push({ userId: r.clawback_user_id, problem: `clawback ${r.clawback_id} takes back award ${r.key}, which does not exist` });
      continue;
    }
    if (r.order_id === null) {
      problems.push({ userId: r.user_id, problem: `award ${r.key} names purchase ${r.purchase_id}, which does not exist` });
      continue;
    }
    const [amount, taken, share] = [Number(r.amount), Number(r.taken), Number(r.share)];
    const award = `order ${r.order_id}: award ${r.key} (${r.status} ${amount})`;
    const fullyRefunded = Number(r.refunded_amount) >= Number(r.order_amount);
    if (fullyRefunded && r.status === 'pending') {
      problems.push({ userId: r.user_id, problem: `${award} of a fully refunded order is still pending, not voided` });
    } else if (fullyRefunded && r.status === 'posted' && taken < amount) {
      problems.push({ userId: r.user_id, problem: `${award} of a fully refunded order is not all clawed back`, expected: amount, actual: taken });
    }
    if (taken > amount) {
      problems.push({ userId: r.user_id, problem: `${award} is clawed back by more than the award`, expected: amount, actual: taken });
    } else if (taken > share) {
      problems.push({
        userId: r.user_id,
        problem: `${award} is clawed back by more than the refunded share (${r.refunded_amount} of ${r.order_amount})`,
        expected: share,
        actual: taken,
      });
    }
    if (r.status !== 'posted' && taken > 0) {
      problems.push({ userId: r.user_id, problem: `${award} is clawed back although it was never posted`, expected: 0, actual: taken });
    }
  }
  for (const r of await db.query(REDEEMS_WITHOUT_REWARD)) {
    problems.push({ userId: r.user_id, problem: `redeem spend ${r.id} has no reward row` });
  }
  return problems;
}
