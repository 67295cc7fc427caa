import { DataSource, EntityManager } from 'typeorm';
import { checkOrders } from './order-ledger-check';
import { LEVEL_OF } from './points-ledger.repository';

export interface LedgerProblem {
  userId: string | null;
  problem: string;
  expected?: number | string;
  actual?: number | string;
}

/*
 * The invariants of points-ledger.repository.ts, per user, computed from the entries alone.
 * One pass over point_transactions grouped by user, joined to every user (also those with no entries).
 */
const BALANCE_DIFFERENCES = `
WITH sums AS (
  SELECT user_id,
         COALESCE(SUM(amount) FILTER (WHERE status = 'posted'), 0) AS posted,
         COALESCE(SUM(amount) FILTER (WHERE status = 'pending'), 0) AS pending,
         COALESCE(SUM(amount) FILTER (WHERE status = 'posted' AND type IN ('earn', 'clawback')), 0) AS total
  FROM point_transactions GROUP BY user_id
), expected AS (
  SELECT u.id, u.points_available - u.points_debt AS net, u.points_pending, u.points_total, u.level,
         u.points_available, u.points_debt,
         COALESCE(s.posted, 0) AS posted, COALESCE(s.pending, 0) AS pending, COALESCE(s.total, 0) AS total,
         ${LEVEL_OF('u.points_total')} AS want_level
  FROM users u LEFT JOIN sums s ON s.user_id = u.id
)
SELECT id, net, points_pending, points_total, level, points_available, points_debt, posted, pending, total, want_level
FROM expected
WHERE net <> posted OR points_pending <> pending OR points_total <> total OR level <> want_level
   OR points_available < 0 OR points_debt < 0 OR points_pending < 0 OR (points_debt > 0 AND points_available > 0)
ORDER BY id`;

const ENTRY_DIFFERENCES = `
SELECT user_id, id, type, amount, status, balance_after FROM point_transactions
WHERE NOT ((type IN ('earn', 'refund') AND amount > 0) OR (type IN ('spend', 'clawback', 'expire') AND amount < 0))
   OR (status <> 'posted' AND type NOT IN ('earn', 'refund'))
   OR balance_after < 0
   OR NOT EXISTS (SELECT 1 FROM users u WHERE u.id = point_transactions.user_id)
ORDER BY user_id, id`;

const DUPLICATE_KEYS = `
SELECT idempotency_key, count(*)::int AS n FROM point_transactions
WHERE idempotency_key IS NOT NULL GROUP BY idempotency_key HAVING count(*) > 1`;

const REDEMPTION_DIFFERENCES = `
SELECT r.user_id, r.id FROM reward_redemptions r JOIN point_transactions p ON p.id = r.transaction_id
WHERE p.user_id <> r.user_id OR p.type <> 'spend' OR p.source <> 'redeem' OR p.amount <> -r.value OR p.status <> 'posted'`;

/**
 * A referrer's total_earned (referral_stats): their posted bonuses and commissions net of
 * clawbacks, as the view referral_earnings defines it. That each award's link agrees with its
 * ledger entries is checked per order (order-ledger-check.ts).
 */
const TOTAL_EARNED_DIFFERENCES = `
SELECT u.id, COALESCE(s.total_earned, 0) AS total_earned, COALESCE(e.earned, 0) AS earned
FROM users u
LEFT JOIN referral_stats s ON s.user_id = u.id
LEFT JOIN (SELECT user_id, SUM(earned) AS earned FROM referral_earnings GROUP BY user_id) e ON e.user_id = u.id
WHERE COALESCE(s.total_earned, 0) <> COALESCE(e.earned, 0)
ORDER BY u.id`;

/** Every difference between the balances and their ledger, every broken entry rule and per-order rule; empty when consistent. */
export async function checkLedger(db: DataSource | EntityManager): Promise<LedgerProblem[]> {
  const problems: LedgerProblem[] = [];
  for (const r of await db.query(BALANCE_DIFFERENCES)) {
    const n = (v: unknown) => Number(v);
    if (n(r.net) !== n(r.posted)) {
      problems.push({ userId: r.id, problem: 'available - debt differs from the sum of posted entries', expected: n(r.posted), actual: n(r.net) });
    }
    if (n(r.points_pending) !== n(r.pending)) {
      problems.push({ userId: r.id, problem: 'pending differs from the sum of pending entries', expected: n(r.pending), actual: n(r.points_pending) });
    }
    if (n(r.points_total) !== n(r.total)) {
      problems.push({ userId: r.id, problem: 'total differs from the sum of posted earn and clawback entries', expected: n(r.total), actual: n(r.points_total) });
    }
    if (n(r.level) !== n(r.want_level)) {
      problems.push({ userId: r.id, problem: 'level does not match total and level_configs', expected: n(r.want_level), actual: n(r.level) });
    }
    if (n(r.points_available) < 0 || n(r.points_debt) < 0 || n(r.points_pending) < 0) {
      problems.push({ userId: r.id, problem: 'a balance is negative' });
    }
    if (n(r.points_debt) > 0 && n(r.points_available) > 0) {
      problems.push({ userId: r.id, problem: 'debt is outstanding while points are available', actual: `available ${r.points_available}, debt ${r.points_debt}` });
    }
  }
  for (const r of await db.query(TOTAL_EARNED_DIFFERENCES)) {
    problems.push({ userId: r.id, problem: 'total_earned differs from the posted referral rewards', expected: Number(r.earned), actual: Number(r.total_earned) });
  }
  for (const r of await db.query(ENTRY_DIFFERENCES)) {
    problems.push({ userId: r.user_id, problem: `entry ${r.id} breaks the entry rules (${r.type} ${r.amount} ${r.status}, balance_after ${r.balance_after})` });
  }
  for (const r of await db.query(REDEMPTION_DIFFERENCES)) {
    problems.push({ userId: r.user_id, problem: `reward ${r.id} does not match its redeem ledger entry` });
  }
  for (const r of await db.query(DUPLICATE_KEYS)) {
    problems.push({ userId: null, problem: `idempotency key ${r.idempotency_key} is used by ${r.n} entries` });
  }
  problems.push(...(await checkOrders(db)));
  return problems;
}
