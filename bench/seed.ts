import { withClient } from './bench-database';

/** Bench users have predictable ids, so pgbench can name user n as the service does. */
export function benchUserId(n: number): string {
  return `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
}

/** The same id built in SQL from an integer expression (pgbench variables are integers). */
export function benchUserIdSql(n: string): string {
  return `('00000000-0000-4000-8000-' || lpad((${n})::text, 12, '0'))::uuid`;
}

/** Crockford base32 (digits are in its alphabet), unique per user. */
export function benchReferralCode(n: number): string {
  return `R${String(n).padStart(7, '0')}`;
}

export const ADMIN_INDEX = 0;

/**
 * Users 1..count in one INSERT ... SELECT generate_series, plus an admin (user 0). Referral
 * stats follow a long tail: 80% of users have no referral, the rest a geometric-like count
 * with a last_referral_at spread over a year, so the leaderboard has many ties to break. Every user
 * has a (zero) balance row, as after the migration that moved balances off users: awards update it.
 */
export async function seedUsers(url: string, count: number): Promise<number> {
  const started = performance.now();
  await withClient(url, async (c) => {
    await c.query(
      `INSERT INTO users (id, email, name, role, referral_code)
       VALUES ($1::uuid, 'admin@bench.example', 'Bench admin', 'admin', NULL)`,
      [benchUserId(ADMIN_INDEX)],
    );
    await c.query(
      `WITH t AS MATERIALIZED (
         SELECT n, 'bench' || n || '@bench.example' AS e, r, floor(r * random())::int AS c,
                CASE WHEN r > 0 THEN now() - random() * interval '365 days' END AS last_at
         FROM (
           SELECT n, CASE WHEN random() < 0.8 THEN 0 ELSE 1 + floor(-ln(1 - random()) * 4)::int END AS r
           FROM generate_series(1, $1::int) AS n
         ) s
       ), u AS (
         INSERT INTO users (id, email, name, referral_code)
         SELECT ${benchUserIdSql('n')}, e, 'Bench user ' || n, 'R' || lpad(n::text, 7, '0') FROM t
       )
       INSERT INTO referral_stats (user_id, total_referrals, active_referrals, converted_referrals, total_earned, last_referral_at)
       SELECT ${benchUserIdSql('n')}, r, r, c, 0, last_at FROM t WHERE r > 0`,
      [count],
    );
    await c.query(`INSERT INTO point_balances (user_id) SELECT id FROM users`);
    await c.query(`VACUUM ANALYZE users`);
    await c.query(`VACUUM ANALYZE point_balances`);
    await c.query(`VACUUM ANALYZE referral_stats`);
  });
  return (performance.now() - started) / 1000;
}
