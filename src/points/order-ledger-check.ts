import { DataSource, EntityManager } from 'typeorm';
import type { LedgerProblem } from './ledger-check';

/*
 * Per-order rules of the ledger (API.md, Purchases): every award of an order is clawed back at
 * most by the refunded share of the order, never by more than itself, and all of it (or it is
 * voided) once the order is fully refunded. The awards and clawbacks of an order are the ledger
 * entries that the purchases module links in purchase_awards and purchase_award_clawbacks; each
 * link must agree with its entry (user, amount, held = pending, clawed_back = Σ its clawbacks).
 * One pass over the awards joined to their entries and orders.
 */
const AWARD_DIFFERENCES = `
WITH per_award AS (
  SELECT t.idempotency_key AS key, t.user_id, t.status, t.amount, t.type, a.purchase_id,
         a.user_id AS link_user_id, a.amount AS link_amount, a.state, a.clawed_back,
         COALESCE((SELECT -sum(c.amount) FROM purchase_award_clawbacks l JOIN point_transactions c ON c.id = l.ledger_entry_id
                    WHERE l.award_id = a.id), 0) AS taken,
         (SELECT count(*) FROM purchase_award_clawbacks l JOIN point_transactions c ON c.id = l.ledger_entry_id
           WHERE l.award_id = a.id AND (c.type <> 'clawback' OR c.user_id <> a.user_id OR c.amount <> -l.amount)) AS bad_clawbacks
    FROM purchase_awards a JOIN point_transactions t ON t.id = a.ledger_entry_id
), checked AS (
  SELECT a.*, p.order_id, p.amount AS order_amount, p.refunded_amount,
         CASE WHEN p.refunded_amount >= p.amount THEN a.amount
              ELSE floor(a.amount::numeric * p.refunded_amount / p.amount) END AS share,
         (a.type <> 'earn' OR a.link_user_id <> a.user_id OR a.link_amount <> a.amount OR a.clawed_back <> a.taken
          OR a.bad_clawbacks > 0 OR a.state <> CASE a.status WHEN 'pending' THEN 'held' ELSE a.status END) AS mislinked
    FROM per_award a JOIN purchases p ON p.id = a.purchase_id
)
SELECT * FROM checked
 WHERE mislinked
    OR (refunded_amount >= order_amount AND (status = 'pending' OR (status = 'posted' AND taken <> amount)))
    OR taken > amount OR taken > share OR (status <> 'posted' AND taken > 0)
 ORDER BY order_id, key`;

/*
 * Award and clawback entries (by their business keys, see purchases/reward-rules.ts) that no
 * link names: an award whose order does not exist, a clawback of an award that does not.
 */
const UNLINKED_ENTRIES = `
SELECT t.id, t.user_id, t.type, t.idempotency_key AS key,
       'purchase:' || split_part(t.idempotency_key, ':', 2) || ':' || split_part(t.idempotency_key, ':', 3) || ':'
         || split_part(t.idempotency_key, ':', 4) AS award_key,
       split_part(t.idempotency_key, ':', 2) AS purchase_id,
       EXISTS (SELECT 1 FROM purchases p WHERE p.id::text = split_part(t.idempotency_key, ':', 2)) AS order_exists
  FROM point_transactions t
 WHERE ((t.type = 'earn' AND t.idempotency_key LIKE 'purchase:%'
         AND NOT EXISTS (SELECT 1 FROM purchase_awards a WHERE a.ledger_entry_id = t.id))
     OR (t.type = 'clawback' AND t.idempotency_key LIKE 'refund:%'
         AND NOT EXISTS (SELECT 1 FROM purchase_award_clawbacks l WHERE l.ledger_entry_id = t.id)))
 ORDER BY t.user_id, t.id`;

/** A redeem spend without its reward: points paid for nothing. */
const REDEEMS_WITHOUT_REWARD = `
SELECT p.user_id, p.id FROM point_transactions p
 WHERE p.type = 'spend' AND p.source = 'redeem'
   AND NOT EXISTS (SELECT 1 FROM reward_redemptions r WHERE r.transaction_id = p.id)
 ORDER BY p.user_id, p.id`;

export async function checkOrders(db: DataSource | EntityManager): Promise<LedgerProblem[]> {
  const problems: LedgerProblem[] = [];
  for (const r of await db.query(UNLINKED_ENTRIES)) {
    if (r.type === 'clawback') {
      problems.push({ userId: r.user_id, problem: `clawback ${r.id} takes back award ${r.award_key}, which does not exist` });
    } else if (!r.order_exists) {
      problems.push({ userId: r.user_id, problem: `award ${r.key} names purchase ${r.purchase_id}, which does not exist` });
    } else {
      problems.push({ userId: r.user_id, problem: `award ${r.key} is not linked to its order in purchase_awards` });
    }
  }
  for (const r of await db.query(AWARD_DIFFERENCES)) {
    const [amount, taken, share] = [Number(r.amount), Number(r.taken), Number(r.share)];
    const award = `order ${r.order_id}: award ${r.key} (${r.status} ${amount})`;
    if (r.mislinked) {
      problems.push({
        userId: r.user_id,
        problem: `${award} differs from its purchase_awards link (${r.state} ${r.link_amount} for ${r.link_user_id}, clawed back ${r.clawed_back})`,
        expected: taken,
        actual: Number(r.clawed_back),
      });
    }
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
