import { DataSource, EntityManager } from 'typeorm';
import { checkOrders } from './order-ledger-check';

export interface LedgerProblem {
  userId: string | null;
  problem: string;
  expected?: number | string;
  actual?: number | string;
}

/*
 * The invariants of points-ledger.repository.ts, per user, computed from the entries alone.
 * One pass over point_transactions grouped by user, joined to every user (also those with no
 * entries); a user without a balance row has zero balances and level points_level(0).
 */
const BALANCE_DIFFERENCES = `
WITH sums AS (
  SELECT user_id,
         COALESCE(SUM(amount) FILTER (WHERE status = 'posted'), 0) AS posted,
         COALESCE(SUM(amount) FILTER (WHERE status = 'pending'), 0) AS pending,
         COALESCE(SUM(amount) FILTER (WHERE status = 'posted' AND type IN ('earn', 'clawback')), 0) AS total
  FROM point_transactions GROUP BY user_id
), balances AS (
  SELECT u.id, COALESCE(b.total, 0) AS b_total, COALESCE(b.available, 0) AS b_available, COALESCE(b.pending, 0) AS b_pending,
         COALESCE(b.debt, 0) AS b_debt, COALESCE(b.level, points_level(0)) AS b_level, b.window_from
  FROM users u LEFT JOIN point_balances b ON b.user_id = u.id
), expected AS (
  SELECT x.*, x.b_available - x.b_debt AS net,
         COALESCE(s.posted, 0) AS posted, COALESCE(s.pending, 0) AS pending, COALESCE(s.total, 0) AS total,
         points_level(x.b_total) AS want_level
  FROM balances x LEFT JOIN sums s ON s.user_id = x.id
)
SELECT id, net, b_pending, b_total, b_level, b_available, b_debt, posted, pending, total, want_level, window_from
FROM expected
WHERE net <> posted OR b_pending <> pending OR b_total <> total OR (window_from IS NULL AND b_level <> want_level)
   OR b_available < 0 OR b_debt < 0 OR b_pending < 0 OR (b_debt > 0 AND b_available > 0)
ORDER BY id`;

/**
 * A balance qualified over a level window: its qualifying points are what it earned since the
 * window's start, net of clawbacks, and its level is at least what they reach (only the daily
 * evaluation lowers it, one tier at a time).
 */
const WINDOW_DIFFERENCES = `
SELECT b.user_id, b.qualifying, b.level, COALESCE(s.q, 0) AS q, points_level(b.qualifying) AS floor_level
FROM point_balances b
LEFT JOIN LATERAL (
  SELECT SUM(t.amount) AS q FROM point_transactions t
  WHERE t.user_id = b.user_id AND t.status = 'posted' AND t.type IN ('earn', 'clawback') AND t.created_at > b.window_from
) s ON true
WHERE b.window_from IS NOT NULL AND (b.qualifying <> COALESCE(s.q, 0) OR b.level < points_level(b.qualifying))
ORDER BY b.user_id`;

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

/**
 * available = Σ remaining of the user's lots, for every user: balances from before lots existed
 * became one lot each in the migration that created point_lots, so no user is exempt.
 */
const LOT_DIFFERENCES = `
SELECT u.id, COALESCE(b.available, 0) AS available, COALESCE(l.remaining, 0) AS remaining
FROM users u
LEFT JOIN point_balances b ON b.user_id = u.id
LEFT JOIN (SELECT user_id, SUM(remaining) AS remaining FROM point_lots GROUP BY user_id) l ON l.user_id = u.id
WHERE COALESCE(b.available, 0) <> COALESCE(l.remaining, 0)
ORDER BY u.id`;

/** Every difference between the balances and their ledger, every broken entry rule and per-order rule; empty when consistent. */
export async function checkLedger(db: DataSource | EntityManager): Promise<LedgerProblem[]> {
  const problems: LedgerProblem[] = [];
  for (const r of await db.query(BALANCE_DIFFERENCES)) {
    const n = (v: unknown) => Number(v);
    if (n(r.net) !== n(r.posted)) {
      problems.push({ userId: r.id, problem: 'available - debt differs from the sum of posted entries', expected: n(r.posted), actual: n(r.net) });
    }
    if (n(r.b_pending) !== n(r.pending)) {
      problems.push({ userId: r.id, problem: 'pending differs from the sum of pending entries', expected: n(r.pending), actual: n(r.b_pending) });
    }
    if (n(r.b_total) !== n(r.total)) {
      problems.push({ userId: r.id, problem: 'total differs from the sum of posted earn and clawback entries', expected: n(r.total), actual: n(r.b_total) });
    }
    if (r.window_from === null && n(r.b_level) !== n(r.want_level)) {
      problems.push({ userId: r.id, problem: 'level does not match total and level_configs', expected: n(r.want_level), actual: n(r.b_level) });
    }
    if (n(r.b_available) < 0 || n(r.b_debt) < 0 || n(r.b_pending) < 0) {
      problems.push({ userId: r.id, problem: 'a balance is negative' });
    }
    if (n(r.b_debt) > 0 && n(r.b_available) > 0) {
      problems.push({ userId: r.id, problem: 'debt is outstanding while points are available', actual: `available ${r.b_available}, debt ${r.b_debt}` });
    }
  }
  for (const r of await db.query(TOTAL_EARNED_DIFFERENCES)) {
    problems.push({ userId: r.id, problem: 'total_earned differs from the posted referral rewards', expected: Number(r.earned), actual: Number(r.total_earned) });
  }
  for (const r of await db.query(LOT_DIFFERENCES)) {
    problems.push({ userId: r.id, problem: 'available differs from the remaining points of the open lots', expected: Number(r.available), actual: Number(r.remaining) });
  }
  for (const r of await db.query(WINDOW_DIFFERENCES)) {
    if (Number(r.qualifying) !== Number(r.q)) {
      problems.push({ userId: r.user_id, problem: 'qualifying differs from the posted earn and clawback entries since the window started', expected: Number(r.q), actual: Number(r.qualifying) });
    }
    if (Number(r.level) < Number(r.floor_level)) {
      problems.push({ userId: r.user_id, problem: 'level is below what the qualifying points reach', expected: Number(r.floor_level), actual: Number(r.level) });
    }
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
