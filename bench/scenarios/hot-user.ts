import { randomUUID } from 'node:crypto';
import { serializableStats } from '../../src/database/serializable';
import { PointsService } from '../../src/points/points.service';
import { startAppContext } from '../app-context';
import { freshDatabase } from '../bench-database';
import { benchEnv } from '../bench-env';
import { captureStatements, pgbenchScript } from '../capture-sql';
import { runLoop } from '../load-loop';
import { PgbenchResult, runPgbench } from '../pgbench';
import { ScenarioReport } from '../report';
import { Scenario } from '../scenario';
import { benchUserId, benchUserIdSql, seedUsers } from '../seed';
import { median, ratio } from '../stats';

const CONCURRENCY = 64;
const AWARD = 10;
const REDEEM = 5;
const HOT = 1;
const MAX_TRIES = 40;

interface ServiceRound {
  commits: number;
  perSecond: number;
  retries: number;
  retriesPerCommit: number;
  giveUps: number;
  otherErrors: number;
  firstError?: string;
}

/** Scenario 2: half awards, half redeems, all on one user's row, under SERIALIZABLE with retries. */
export const hotUser: Scenario = async ({ server, options, log }): Promise<ScenarioReport> => {
  const db = await freshDatabase(server);
  await seedUsers(db.url, 1_000);
  const env = benchEnv(db.url);
  const app = await startAppContext(env);
  try {
    const points = app.get(PointsService);
    const hot = benchUserId(HOT);
    await points.addPoints({ userId: hot, amount: 1_000_000, source: 'bonus', metadata: {}, idempotencyKey: `bench:seed:${randomUUID()}`, description: 'bench balance' });

    const awardKey = `bench:capture:${randomUUID()}`;
    const redeemKey = `bench:capture:${randomUUID()}`;
    const award = await captureStatements(awardKey, () => points.addPoints({ userId: hot, amount: AWARD, source: 'admin', metadata: { reason: 'bench' }, idempotencyKey: awardKey, description: 'bench award' }));
    const redeem = await captureStatements(redeemKey, () => points.spend({ userId: hot, amount: REDEEM, source: 'redeem', metadata: { reward: 'service-credit' }, idempotencyKey: redeemKey, description: 'bench redeem' }));
    const vary = (key: string) => new Map<unknown, string>([[hot, benchUserIdSql(String(HOT))], [key, ':key']]);
    const keyLine = '\\set key random(1, 1000000000000000)';
    const a = pgbenchScript(award, vary(awardKey), [keyLine], 'award');
    const r = pgbenchScript(redeem, vary(redeemKey), [keyLine], 'redeem');

    const service = async (secs: number, tag: string): Promise<ServiceRound> => {
      const start = { ...serializableStats };
      const loop = await runLoop(CONCURRENCY, secs, async (worker, i) => {
        const key = `bench:${tag}:${worker}:${i}`;
        if ((worker + i) % 2 === 0) await points.addPoints({ userId: hot, amount: AWARD, source: 'admin', metadata: { reason: 'bench' }, idempotencyKey: key, description: 'bench award' });
        else await points.spend({ userId: hot, amount: REDEEM, source: 'redeem', metadata: { reward: 'service-credit' }, idempotencyKey: key, description: 'bench redeem' });
      });
      const retries = serializableStats.retries - start.retries;
      const giveUps = serializableStats.exhausted - start.exhausted;
      return {
        commits: loop.ops,
        perSecond: loop.perSecond,
        retries,
        retriesPerCommit: retries / Math.max(loop.ops, 1),
        giveUps,
        otherErrors: loop.errors - giveUps,
        firstError: loop.firstError,
      };
    };
    const ceiling = (secs: number, clients = CONCURRENCY) =>
      runPgbench({
        url: db.url,
        scripts: [{ name: 'award', script: a.script }, { name: 'redeem', script: r.script }],
        defines: { ...a.defines, ...r.defines },
        clients,
        seconds: secs,
        maxTries: MAX_TRIES,
      });

    log('warm-up');
    await service(1, 'warm');
    await ceiling(1);
    const rounds: Array<{ service: ServiceRound; pgbench: PgbenchResult; pgbenchSerial: PgbenchResult }> = [];
    for (let n = 1; n <= options.rounds; n++) {
      const s = await service(options.duration, `r${n}`);
      const p = await ceiling(options.duration);
      // One client never conflicts: the row's serial ceiling, one transaction's latency at a time.
      const serial = await ceiling(Math.max(2, Math.round(options.duration / 2)), 1);
      log(`round ${n}: service ${s.perSecond.toFixed(0)} commits/s, ${s.retriesPerCommit.toFixed(2)} retries/commit, ${s.giveUps} give-ups; pgbench ${p.tps.toFixed(0)} tps, ${(p.retries / Math.max(p.processed, 1)).toFixed(2)} retries/commit, ${p.failed} failed`);
      rounds.push({ service: s, pgbench: p, pgbenchSerial: serial });
    }
    const commits = median(rounds.map((x) => x.service.perSecond));
    const pg = median(rounds.map((x) => x.pgbench.tps));
    const serial = median(rounds.map((x) => x.pgbenchSerial.tps));
    const giveUps = rounds.reduce((n, x) => n + x.service.giveUps, 0);
    const otherErrors = rounds.reduce((n, x) => n + x.service.otherErrors, 0);
    const pgFailed = rounds.reduce((n, x) => n + x.pgbench.failed, 0);
    const k = ratio(commits, pg);
    // The service queues one user's transactions per instance, so it is held to the row's serial
    // ceiling too: beating 64 thrashing pgbench clients alone would prove little.
    const kSerial = ratio(commits, serial);
    return {
      id: 2,
      title: 'Hot user',
      rows: [
        { measure: 'hot-row commits/s (addPoints + spend, 64 callers)', value: commits, unit: '/s', baseline: { label: 'pgbench tps', value: pg }, ratio: k, target: { label: '>= 70%', pass: k >= 0.7 } },
        { measure: 'hot-row commits/s against the serial ceiling', value: commits, unit: '/s', baseline: { label: 'pgbench 1 client tps', value: serial }, ratio: kSerial, target: { label: '>= 70%', pass: kSerial >= 0.7 } },
        { measure: 'service retries per commit', value: median(rounds.map((x) => x.service.retriesPerCommit)), unit: '' },
        { measure: 'pgbench retries per commit', value: median(rounds.map((x) => x.pgbench.retries / Math.max(x.pgbench.processed, 1))), unit: '' },
        { measure: 'service give-ups (retries exhausted), all rounds', value: giveUps, unit: '', target: { label: '0', pass: giveUps === 0 } },
        { measure: 'service other errors, all rounds', value: otherErrors, unit: '', target: { label: '0', pass: otherErrors === 0 } },
        { measure: `pgbench failed transactions (--max-tries ${MAX_TRIES}), all rounds`, value: pgFailed, unit: '' },
      ],
      details: { concurrency: CONCURRENCY, pool: 'one transaction per user in flight per instance (contentionKey)', scripts: { award: a.script, redeem: r.script }, defines: { ...a.defines, ...r.defines }, rounds },
      notes: [
        `${CONCURRENCY} callers on one user, alternating addPoints(+${AWARD}) and spend(-${REDEEM}); pgbench: ${CONCURRENCY} clients, the same two captured transactions 50/50, SERIALIZABLE, --max-tries ${MAX_TRIES} (immediate retries, no back-off)`,
        'the service runs one transaction per user at a time within an instance (contentionKey in src/database/serializable.ts); pgbench holds 64 connections that conflict',
      ],
    };
  } finally {
    await app.close();
    await db.drop();
  }
};
