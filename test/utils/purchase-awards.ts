import { Client } from 'pg';

/** Purchase jobs not finished yet (reward, refund; delayed releases apart). */
export async function openPurchaseJobs(db: Client): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM pgboss.job WHERE name IN ('purchase-reward', 'purchase-refund') AND state IN ('created', 'retry', 'active')`,
  );
  return rows[0].n;
}

/**
 * What differs from "every purchase awarded exactly once" under the default rules, for buyers
 * referred at two levels: each purchase one level-1 and one level-2 commission, each buyer one
 * referee and one referrer bonus, on the purchase that converted the referral.
 */
export async function purchaseAwardProblems(db: Client, orderIds: string[]): Promise<string[]> {
  const { rows: purchases } = await db.query<{ id: string; order_id: string; user_id: string; converted: boolean }>(
    `SELECT p.id, p.order_id, p.user_id, (r.converted_purchase_id = p.id) AS converted
       FROM purchases p LEFT JOIN referrals r ON r.referee_id = p.user_id AND r.status <> 'rejected'
      WHERE p.order_id = ANY($1::text[])`,
    [orderIds],
  );
  const { rows: keys } = await db.query<{ key: string; n: number }>(
    `SELECT idempotency_key AS key, count(*)::int AS n FROM point_transactions
      WHERE idempotency_key LIKE 'purchase:%' AND status <> 'voided' GROUP BY 1`,
  );
  const count = new Map(keys.map((k) => [k.key, k.n]));
  const problems: string[] = [];
  const recorded = new Set(purchases.map((p) => p.order_id));
  for (const orderId of orderIds) if (!recorded.has(orderId)) problems.push(`${orderId}: no purchase row`);
  const convertedBy = new Map<string, number>();
  for (const p of purchases) {
    const n = (role: string) => count.get(`purchase:${p.id}:${role}`) ?? 0;
    for (const role of ['commission:1', 'commission:2']) if (n(role) !== 1) problems.push(`${p.order_id}: ${n(role)} × ${role}`);
    const bonuses = [n('referee:0'), n('referrer:1')];
    const want = p.converted ? 1 : 0;
    if (bonuses.some((b) => b !== want)) problems.push(`${p.order_id}: bonuses ${bonuses.join('/')}, want ${want} (converting: ${p.converted})`);
    if (p.converted) convertedBy.set(p.user_id, (convertedBy.get(p.user_id) ?? 0) + 1);
  }
  for (const buyer of new Set(purchases.map((p) => p.user_id))) {
    if (convertedBy.get(buyer) !== 1) problems.push(`buyer ${buyer}: ${convertedBy.get(buyer) ?? 0} converting purchases`);
  }
  return problems;
}
