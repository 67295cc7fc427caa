import { randomInt } from 'node:crypto';
import { TokenService } from '../../src/auth/core/token.service';
import { PointsQueriesService } from '../../src/points/points-queries.service';
import { startAppContext } from '../app-context';
import { freshDatabase, withClient } from '../bench-database';
import { benchEnv } from '../bench-env';
import { recordStatements } from '../capture-sql';
import { HttpResult, runHttp } from '../http-load';
import { ScenarioReport } from '../report';
import { Scenario } from '../scenario';
import { benchUserId, seedUsers } from '../seed';
import { startServer } from '../server-process';
import { median, ratio } from '../stats';

const CONNECTIONS = 16;
const TOKENS = 1_000;

/**
 * Scenario 4: GET /api/points/my-points against a bare endpoint of the same app, and the
 * leaderboard (top 10 plus the caller's row) on a board of 1M users, one request at a time.
 */
export const reads: Scenario = async ({ server, options, log }): Promise<ScenarioReport> => {
  const db = await freshDatabase(server);
  const users = options.leaderboardUsers;
  const seconds = await seedUsers(db.url, users);
  log(`seeded ${users} users and ran VACUUM ANALYZE in ${seconds.toFixed(1)} s`);
  const env = benchEnv(db.url);
  const app = await startAppContext(env);
  const http = await startServer(env);
  try {
    const tokens = Array.from({ length: TOKENS }, () => app.get(TokenService).sign({ id: benchUserId(1 + randomInt(users)), role: 'user' }));
    const auth = () => ({ authorization: `Bearer ${tokens[randomInt(TOKENS)]}` });
    const get = (path: string, connections: number, secs: number, headers?: () => Record<string, string>) =>
      runHttp({ url: http.url, connections, seconds: secs, path, headers, expectStatus: 200 });
    const myPoints = (secs: number) => get('/api/points/my-points', CONNECTIONS, secs, auth);
    const bare = (secs: number) => get('/bench/bare', CONNECTIONS, secs);
    const leaderboard = (secs: number) => get('/api/points/leaderboard?limit=10', 1, secs, auth);

    log('warm-up');
    await myPoints(1);
    await bare(1);
    await leaderboard(1);
    const rounds: Array<{ myPoints: HttpResult; bare: HttpResult; leaderboard: HttpResult }> = [];
    for (let n = 1; n <= options.rounds; n++) {
      const m = await myPoints(options.duration);
      const b = await bare(options.duration);
      const l = await leaderboard(options.duration);
      log(`round ${n}: my-points ${m.perSecond.toFixed(0)}/s, bare ${b.perSecond.toFixed(0)}/s, leaderboard p50 ${l.latencyP50} ms p99 ${l.latencyP99} ms (${l.perSecond.toFixed(0)}/s)`);
      rounds.push({ myPoints: m, bare: b, leaderboard: l });
    }
    const queries = app.get(PointsQueriesService);
    const plans = await explainLeaderboard(db.url, (id) => queries.leaderboard(10, id));
    plans.myPoints = await explainStatements(db.url, () => queries.myPoints(benchUserId(1)), /\bpoint_balances\b/);
    const mp = median(rounds.map((r) => r.myPoints.perSecond));
    const bp = median(rounds.map((r) => r.bare.perSecond));
    const p50 = median(rounds.map((r) => r.leaderboard.latencyP50));
    const p99 = median(rounds.map((r) => r.leaderboard.latencyP99));
    const failed = rounds.reduce((n, r) => n + r.myPoints.failed + r.bare.failed + r.leaderboard.failed, 0);
    const k = ratio(mp, bp);
    return {
      id: 4,
      title: 'Reads',
      rows: [
        { measure: 'GET /api/points/my-points req/s', value: mp, unit: '/s', baseline: { label: 'bare req/s', value: bp }, ratio: k, target: { label: '>= 50%', pass: k >= 0.5 } },
        { measure: `leaderboard top-10 + me p50 (${users} users)`, value: p50, unit: 'ms' },
        { measure: `leaderboard top-10 + me p99 (${users} users)`, value: p99, unit: 'ms', target: { label: '< 20 ms', pass: p99 < 20 } },
        { measure: 'leaderboard req/s (1 connection)', value: median(rounds.map((r) => r.leaderboard.perSecond)), unit: '/s' },
        { measure: 'failed requests, all rounds', value: failed, unit: '', target: { label: '0', pass: failed === 0 } },
      ],
      details: { users, connections: CONNECTIONS, tokens: TOKENS, rounds, plans },
      notes: [
        `my-points and the bare endpoint (GET /bench/bare, same app, no guard, no SQL): ${CONNECTIONS} connections, tokens of ${TOKENS} random users`,
        `leaderboard: one connection, ?limit=10 as one of ${TOKENS} random users (so "me" is ranked too); ${users} users, 80% without referrals`,
      ],
    };
  } finally {
    await http.stop();
    await app.close();
    await db.drop();
  }
};

/**
 * EXPLAIN (ANALYZE, BUFFERS) of every statement the leaderboard service sends (read off the
 * driver), for a caller without referrals (most users) and one with a single referral.
 */
async function explainLeaderboard(url: string, leaderboard: (userId: string) => Promise<unknown>): Promise<Record<string, string[]>> {
  return withClient(url, async (c) => {
    const plans: Record<string, string[]> = {};
    for (const [name, referrals] of [['noReferrals', 0], ['oneReferral', 1]] as const) {
      const { rows } = await c.query(`SELECT u.id FROM users u JOIN referral_stats s ON s.user_id = u.id WHERE s.total_referrals = $1 AND u.role = 'user' AND u.deleted_at IS NULL LIMIT 1`, [referrals]);
      if (!rows[0]) continue;
      const statements = (await recordStatements(() => leaderboard(rows[0].id))).filter((s) => /\busers\b/.test(s.sql));
      plans[name] = [];
      for (const s of statements) {
        const plan = await c.query(`EXPLAIN (ANALYZE, BUFFERS) ${s.sql}`, s.params);
        plans[name].push(plan.rows.map((r: Record<string, string>) => r['QUERY PLAN']).join('\n'));
      }
    }
    return plans;
  });
}

/** EXPLAIN (ANALYZE, BUFFERS) of the statements `call` sends that match `about`. */
async function explainStatements(url: string, call: () => Promise<unknown>, about: RegExp): Promise<string[]> {
  const statements = (await recordStatements(call)).filter((s) => about.test(s.sql));
  return withClient(url, async (c) => {
    const plans: string[] = [];
    for (const s of statements) {
      const plan = await c.query(`EXPLAIN (ANALYZE, BUFFERS) ${s.sql}`, s.params);
      plans.push(plan.rows.map((r: Record<string, string>) => r['QUERY PLAN']).join('\n'));
    }
    return plans;
  });
}
