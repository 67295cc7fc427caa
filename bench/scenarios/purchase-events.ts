import { batchSizesBetween, describeBatchSizes, scrapedBatchSizes } from '../batch-sizes';
import autocannon from 'autocannon';
import { loadAppConfig } from '../../src/config/app-config';
import { planAwards } from '../../src/purchases/reward-rules';
import { signWebhookBody } from '../../src/purchases/webhook-signature.guard';
import { freshDatabase, withClient } from '../bench-database';
import { benchEnv, WEBHOOK_SECRET } from '../bench-env';
import { ScenarioReport } from '../report';
import { Scenario } from '../scenario';
import { benchUserId, benchUserIdSql, seedUsers } from '../seed';
import { startServer } from '../server-process';
import { median, sleep } from '../stats';

const CONNECTIONS = 16;
const AMOUNT = 10_000;
const DRAIN_TIMEOUT_S = 240;
/** A burst whose rewards take longer than this to drain is not repeated: one round is then the figure. */
const REPEAT_IF_DRAINED_WITHIN_S = 60;

interface Burst {
  events: number;
  accepted: number;
  rejected: Record<string, number>;
  acceptSeconds: number;
  webhooksPerSecond: number;
  expectedAwards: number;
  awards: number;
  /** From the last 202 to the moment the ledger held every expected award. */
  drainSeconds: number;
  drained: boolean;
  awardsPerSecond: number;
}

/**
 * Scenario 3: a burst of signed POST /api/purchases/completed, each the first purchase of a
 * referred buyer whose referrer is referred too, so every event awards referee, referrer,
 * commission and second-level commission. Measures accepted webhooks/s and how long the workers
 * take after the last 202 until the ledger holds every award.
 */
export const purchaseEvents: Scenario = async ({ server, options, log }): Promise<ScenarioReport> => {
  const events = options.purchaseEvents;
  const buyers = events * options.rounds;
  const referrers = Math.ceil(buyers / 10);
  const grandReferrers = Math.ceil(referrers / 10);
  const db = await freshDatabase(server);
  await seedUsers(db.url, buyers + referrers + grandReferrers);
  await seedReferrals(db.url, buyers, referrers, grandReferrers);
  const env = benchEnv(db.url);
  const perEvent = expectedAwardsPerEvent(env);
  const app = await startServer(env);
  try {
    const bursts: Burst[] = [];
    const sizesBefore = await scrapedBatchSizes(app.url);
    for (let r = 0; r < options.rounds; r++) {
      const burst = await runBurst(app.url, db.url, r * events, events, perEvent, log);
      log(`burst ${r + 1}: ${burst.accepted} accepted in ${burst.acceptSeconds.toFixed(1)} s (${burst.webhooksPerSecond.toFixed(0)}/s); ${burst.awards}/${burst.expectedAwards} awards ${burst.drainSeconds.toFixed(1)} s after the last 202`);
      bursts.push(burst);
      if (!burst.drained || burst.drainSeconds > REPEAT_IF_DRAINED_WITHIN_S) break;
    }
    const batches = batchSizesBetween(sizesBefore, await scrapedBatchSizes(app.url));
    const rejected = bursts.reduce((n, b) => n + Object.values(b.rejected).reduce((a, c) => a + c, 0), 0);
    const drained = bursts.every((b) => b.drained);
    const stuck = bursts.find((b) => !b.drained);
    const drainLabel = stuck
      ? `last 202 -> last award: NOT drained, ${stuck.awards}/${stuck.expectedAwards} awards after ${DRAIN_TIMEOUT_S} s (at that rate all would take ~${Math.round(stuck.expectedAwards / Math.max(stuck.awardsPerSecond, 0.001))} s)`
      : 'last 202 -> last award';
    return {
      id: 3,
      title: 'Purchase events',
      rows: [
        { measure: `accepted webhooks/s (${events}-event burst)`, value: median(bursts.map((b) => b.webhooksPerSecond)), unit: '/s' },
        { measure: drainLabel, value: median(bursts.map((b) => b.drainSeconds)), unit: 's', target: { label: '<= 15 s', pass: drained && median(bursts.map((b) => b.drainSeconds)) <= 15 } },
        { measure: 'awards written/s by the workers (first request -> last award)', value: median(bursts.map((b) => b.awardsPerSecond)), unit: '/s' },
        { measure: `every expected award written (${perEvent} per event)`, value: drained ? 1 : 0, unit: '', target: { label: `all within ${DRAIN_TIMEOUT_S} s`, pass: drained } },
        { measure: 'webhooks not accepted, all bursts', value: rejected, unit: '', target: { label: '0', pass: rejected === 0 } },
      ],
      details: { events, connections: CONNECTIONS, amount: AMOUNT, awardsPerEvent: perEvent, bursts, batches },
      notes: [
        `${bursts.length} burst(s) of ${events} signed webhooks over ${CONNECTIONS} connections; each is a referred buyer's first purchase of ${AMOUNT} cents with a two-level chain (${perEvent} awards)`,
        describeBatchSizes('ledger batches of the bursts', batches),
        ...(bursts.length < options.rounds ? [`not repeated: a burst that takes over ${REPEAT_IF_DRAINED_WITHIN_S} s to drain is measured once`] : []),
      ],
    };
  } finally {
    await app.stop();
    await db.drop();
  }
};

async function runBurst(url: string, dbUrl: string, offset: number, events: number, perEvent: number, log: (m: string) => void): Promise<Burst> {
  const before = await countAwards(dbUrl);
  const tag = Math.random().toString(36).slice(2, 8);
  let next = 0;
  const started = performance.now();
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    amount: events,
    timeout: 60,
    requests: [
      {
        method: 'POST',
        path: '/api/purchases/completed',
        setupRequest: (req) => {
          const i = offset + 1 + next++;
          const body = JSON.stringify({ orderId: `bench-${tag}-${i}`, userId: benchUserId(i), amount: AMOUNT, currency: 'USD' });
          return { ...req, body, headers: { 'content-type': 'application/json', 'x-signature': signWebhookBody(WEBHOOK_SECRET, body) } };
        },
      },
    ],
  });
  const acceptedAt = performance.now();
  const codes = Object.fromEntries(Object.entries(result.statusCodeStats ?? {}).map(([s, v]) => [s, v.count]));
  const accepted = codes['202'] ?? 0;
  const rejected = Object.fromEntries(Object.entries(codes).filter(([s]) => s !== '202'));
  if (result.errors + result.timeouts > 0) rejected.errors = result.errors + result.timeouts;
  const expectedAwards = accepted * perEvent;
  let awards = 0;
  let lastLog = acceptedAt;
  while (true) {
    awards = (await countAwards(dbUrl)) - before;
    if (awards >= expectedAwards) break;
    const now = performance.now();
    if (now - acceptedAt > DRAIN_TIMEOUT_S * 1000) break;
    if (now - lastLog > 10_000) {
      log(`  ${awards}/${expectedAwards} awards after ${((now - acceptedAt) / 1000).toFixed(0)} s`);
      lastLog = now;
    }
    await sleep(100);
  }
  const done = performance.now();
  return {
    events,
    accepted,
    rejected,
    acceptSeconds: (acceptedAt - started) / 1000,
    webhooksPerSecond: accepted / ((acceptedAt - started) / 1000),
    expectedAwards,
    awards,
    drainSeconds: (done - acceptedAt) / 1000,
    drained: awards >= expectedAwards,
    awardsPerSecond: awards / ((done - started) / 1000),
  };
}

async function countAwards(url: string): Promise<number> {
  return withClient(url, async (c) => Number((await c.query(`SELECT count(*) AS n FROM point_transactions WHERE idempotency_key LIKE 'purchase:%'`)).rows[0].n));
}

/** What the reward rules in effect award for one first purchase with a two-level chain. */
function expectedAwardsPerEvent(env: Record<string, string>): number {
  const rules = loadAppConfig({ ...process.env, ...env }).rewards;
  const now = new Date();
  const link = (referrerId: string) => ({ id: referrerId, status: 'pending' as const, referrerId, createdAt: now });
  const purchase = { id: 'p', orderId: 'o', userId: benchUserId(1), amount: AMOUNT, completedAt: now, createdAt: now };
  return planAwards(rules, purchase, { referral: link(benchUserId(2)), parent: link(benchUserId(3)) }, true).length;
}

/** Buyers 1..b referred by b+1..b+r (ten each), those referred by the next g users. */
async function seedReferrals(url: string, b: number, r: number, g: number): Promise<void> {
  await withClient(url, async (c) => {
    await c.query(
      `INSERT INTO referrals (referrer_id, referee_id, code, status, created_at)
       SELECT ${benchUserIdSql(`$1::int + 1 + (n - 1) % $2::int`)}, ${benchUserIdSql('n')}, 'R' || lpad(($1::int + 1 + (n - 1) % $2::int)::text, 7, '0'),
              'pending', now() - interval '1 day'
       FROM generate_series(1, $1::int) n
       UNION ALL
       SELECT ${benchUserIdSql(`$1::int + $2::int + 1 + (m - 1) % $3::int`)}, ${benchUserIdSql('$1::int + m')}, 'R' || lpad(($1::int + $2::int + 1 + (m - 1) % $3::int)::text, 7, '0'),
              'pending', now() - interval '2 days'
       FROM generate_series(1, $2::int) m`,
      [b, r, g],
    );
    await c.query(`UPDATE users u SET referred_by_id = r.referrer_id FROM referrals r WHERE r.referee_id = u.id`);
    await c.query(`VACUUM ANALYZE users`);
    await c.query(`VACUUM ANALYZE referrals`);
  });
}
