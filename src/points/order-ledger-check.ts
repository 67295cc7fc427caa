import { DataSource, EntityManager } from 'typeorm';
import type { LedgerProblem } from './ledger-check';

/*
 * Per-order rules of the ledger (API.md, Purchases): every award of an order (an `earn` entry
 * keyed `purchase:…`) is clawed back at most by the refunded share of the order, never by more
 * than itself, and all of it (or it is voided) once the order is fully refunded. One pass over the
 * awards, joined to their order and to the sum of their clawbacks.
 */
const AWARD_DIFFERENCES = `
WITH taken AS (
  SELECT metadata->>'awardKey' AS award_key, -SUM(amount) AS taken, count(*) AS n
    FROM point_transactions WHERE type = 'clawback' AND metadata ? 'awardKey' GROUP BY 1
), awards AS (
  SELECT a.user_id, a.idempotency_key AS key, a.amount, a.status, p.order_id, p.amount AS order_amount, p.refunded_amount,
         COALESCE(t.taken, 0) AS taken,
         CASE WHEN p.refunded_amount >= p.amount THEN a.amount
              ELSE floor(a.amount::numeric * p.refunded_amount / p.amount) END AS share
    FROM point_transactions a
    JOIN purchases p ON p.id::text = a.metadata->>'purchaseId'
    LEFT JOIN taken t ON t.award_key = a.idempotency_key
   WHERE a.type = 'earn' AND a.idempotency_key LIKE 'purchase:%' AND a.metadata ? 'purchaseId'
)
SELECT * FROM awards
 WHERE (refunded_amount >= order_amount AND (status = 'pending' OR (status = 'posted' AND taken <> amount)))
    OR taken > amount OR taken > share OR (status <> 'posted' AND taken > 0)
 ORDER BY order_id, key`;

const ORPHAN_CLAWBACKS = `
SELECT c.user_id, c.id, c.metadata->>'awardKey' AS award_key FROM point_transactions c
 WHERE c.type = 'clawback' AND c.metadata ? 'awardKey'
   AND NOT EXISTS (SELECT 1 FROM point_transactions a WHERE a.idempotency_key = c.metadata->>'awardKey' AND a.type = 'earn')
 ORDER BY c.user_id, c.id`;

/** A redeem spend without its reward: points paid for nothing. */
const REDEEMS_WITHOUT_REWARD = `
SELECT p.user_id, p.id FROM point_transactions p
 WHERE p.type = 'spend' AND p.source = 'redeem'
   AND NOT EXISTS (SELECT 1 FROM reward_redemptions r WHERE r.transaction_id = p.id)
 ORDER BY p.user_id, p.id`;

export async function checkOrders(db: DataSource | EntityManager): Promise<LedgerProblem[]> {
  const problems: LedgerProblem[] = [];
  for (const r of await db.query(AWARD_DIFFERENCES)) {
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
  for (const r of await db.query(ORPHAN_CLAWBACKS)) {
    problems.push({ userId: r.user_id, problem: `clawback ${r.id} takes back award ${r.award_key}, which does not exist` });
  }
  for (const r of await db.query(REDEEMS_WITHOUT_REWARD)) {
    problems.push({ userId: r.user_id, problem: `redeem spend ${r.id} has no reward row` });
  }
  return problems;
}
