import { randomInt, randomUUID } from 'node:crypto';
import { TokenService } from '../../src/auth/core/token.service';
import { serializableStats } from '../../src/database/serializable';
import { PointsService } from '../../src/points/points.service';
import { startAppContext } from '../app-context';
import { freshDatabase, withClient } from '../bench-database';
import { benchEnv } from '../bench-env';
import { captureStatements, pgbenchScript } from '../capture-sql';
import { batchSizesBetween, describeBatchSizes, localBatchSizes, scrapedBatchSizes } from '../batch-sizes';
import { runHttp } from '../http-load';
import { runLoop } from '../load-loop';
import { PgbenchResult, runPgbench } from '../pgbench';
import { ScenarioReport } from '../report';
import { Scenario } from '../scenario';
import { ADMIN_INDEX, benchUserId, benchUserIdSql, seedUsers } from '../seed';
import { startServer } from '../server-process';
import { median, ratio } from '../stats';

const CONCURRENCY = 16;
const AMOUNT = 10;
const METADATA = { reason: 'bench' };

interface Sizes {
  rows: number;
  table: number;
  indexes: number;
  total: number;
  users: number;
  balances: number;
}

/** Scenario 1: awards to random users, no two on one row, in-process, over HTTP and as raw SQL. */
export const uncontendedAwards: Scenario = async ({ server, options, log }): Promise<ScenarioReport> => {
  const db = await freshDatabase(server);
  const seconds = await seedUsers(db.url, options.users);
  log(`seeded ${options.users} users in ${seconds.toFixed(1)} s`);
  const env = benchEnv(db.url);
  const app = await startAppContext(env);
  const http = await startServer(env);
  try {
    const points = app.get(PointsService);
    const adminToken = app.get(TokenService).sign({ id: benchUserId(ADMIN_INDEX), role: 'admin' });
    const randomUser = () => benchUserId(1 + randomInt(options.users));

    const marker = `bench:capture:${randomUUID()}`;
    const statements = await captureStatements(marker, () =>
      points.addPoints({ userId: benchUserId(1), amount: AMOUNT, source: 'admin', metadata: METADATA, idempotencyKey: marker, description: 'bench award' }),
    );
    const { script, defines } = pgbenchScript(
      statements,
      new Map([[benchUserId(1), benchUserIdSql(':uid')], [marker, ':key']]),
      [`\\set uid random(1, ${options.users})`, '\\set key random(1, 1000000000000000)'],
      'award',
    );

    const inProcess = async (secs: number, tag: string) => {
      const start = { ...serializableStats };
      const sizesBefore = await localBatchSizes();
      const loop = await runLoop(CONCURRENCY, secs, async (worker, i) => {
        await points.addPoints({ userId: randomUser(), amount: AMOUNT, source: 'admin', metadata: METADATA, idempotencyKey: `bench:${tag}:${worker}:${i}`, description: 'bench award' });
      });
      const batches = batchSizesBetween(sizesBefore, await localBatchSizes());
      return { ...loop, retries: serializableStats.retries - start.retries, giveUps: serializableStats.exhausted - start.exhausted, batches };
    };
    const overHttp = async (secs: number, connections = CONCURRENCY) => {
      const sizesBefore = await scrapedBatchSizes(http.url);
      const result = await runHttp({
        url: http.url,
        connections,
        seconds: secs,
        method: 'POST',
        path: '/api/points/admin/add',
        headers: () => ({ authorization: `Bearer ${adminToken}` }),
        body: () => ({ userId: randomUser(), amount: AMOUNT, reason: 'bench' }),
        expectStatus: 201,
      });
      return { ...result, batches: batchSizesBetween(sizesBefore, await scrapedBatchSizes(http.url)) };
    };
    const ceiling = (secs: number) =>
      runPgbench({ url: db.url, scripts: [{ name: 'award', script }], defines, clients: CONCURRENCY, seconds: secs, maxTries: 40 });

    log('warm-up');
    await inProcess(1, 'warm');
    await overHttp(1);
    await ceiling(1);

    const before = await sizes(db.url);
    const rounds: Array<{ inProcess: Awaited<ReturnType<typeof inProcess>>; http: Awaited<ReturnType<typeof overHttp>>; pgbench: PgbenchResult }> = [];
    for (let r = 1; r <= options.rounds; r++) {
      const a = await inProcess(options.duration, `r${r}`);
      const h = await overHttp(options.duration);
      const p = await ceiling(options.duration);
      log(`round ${r}: in-process ${a.perSecond.toFixed(0)}/s (${a.errors} errors, ${a.retries} retries), HTTP ${h.perSecond.toFixed(0)}/s (${h.failed} failed), pgbench ${p.tps.toFixed(0)} tps`);
      rounds.push({ inProcess: a, http: h, pgbench: p });
    }
    // A lone request is written at once (group commit waits only behind a write in flight): its latency shows what batching adds.
    const lone = await overHttp(options.duration, 1);
    const pair = await overHttp(options.duration, 2);
    log(`low load: 1 connection p50 ${lone.latencyP50} ms / p99 ${lone.latencyP99} ms, 2 connections p50 ${pair.latencyP50} ms / p99 ${pair.latencyP99} ms`);
    const after = await sizes(db.url);
    const awards = after.rows - before.rows;

    const inProc = median(rounds.map((r) => r.inProcess.perSecond));
    const overHttpRate = median(rounds.map((r) => r.http.perSecond));
    const pg = median(rounds.map((r) => r.pgbench.tps));
    const errors = rounds.reduce((n, r) => n + r.inProcess.errors + r.http.failed, 0);
    const perAward = (k: keyof Sizes) => (after[k] - before[k]) / awards;
    const inRatio = ratio(inProc, pg);
    const httpRatio = ratio(overHttpRate, pg);
    return {
      id: 1,
      title: 'Uncontended awards',
      rows: [
        { measure: 'awards/s in-process (PointsService.addPoints)', value: inProc, unit: '/s', baseline: { label: 'pgbench tps', value: pg }, ratio: inRatio, target: { label: '>= 150%', pass: inRatio >= 1.5 } },
        { measure: 'awards/s over HTTP (POST /api/points/admin/add)', value: overHttpRate, unit: '/s', baseline: { label: 'pgbench tps', value: pg }, ratio: httpRatio, target: { label: '>= 100%', pass: httpRatio >= 1.0 } },
        { measure: 'one HTTP award at a time: p50 / p99 latency', value: lone.latencyP50, unit: ` ms / ${lone.latencyP99} ms` },
        { measure: 'two HTTP awards at a time: p50 / p99 latency', value: pair.latencyP50, unit: ` ms / ${pair.latencyP99} ms` },
        { measure: 'entries per ledger batch, in-process / HTTP (mean)', value: median(rounds.map((r) => r.inProcess.batches.meanSize)), unit: ` / ${median(rounds.map((r) => r.http.batches.meanSize)).toFixed(1)}` },
        { measure: 'in-process serialization retries per award', value: median(rounds.map((r) => r.inProcess.retries / Math.max(r.inProcess.ops, 1))), unit: '' },
        { measure: 'pgbench serialization retries per award', value: median(rounds.map((r) => r.pgbench.retries / Math.max(r.pgbench.processed, 1))), unit: '' },
        { measure: 'errors (in-process + HTTP)', value: errors, unit: '', target: { label: '0', pass: errors === 0 } },
        { measure: 'point_transactions heap bytes/award', value: perAward('table'), unit: 'B' },
        { measure: 'point_transactions index bytes/award', value: perAward('indexes'), unit: 'B' },
        { measure: 'point_transactions total bytes/award', value: perAward('total'), unit: 'B' },
        { measure: 'users table growth bytes/award', value: perAward('users'), unit: 'B' },
        { measure: 'point_balances table growth bytes/award', value: perAward('balances'), unit: 'B' },
      ],
      details: { users: options.users, concurrency: CONCURRENCY, pgbenchScript: script, pgbenchDefines: defines, rounds, lowLoad: { lone, pair }, sizes: { before, after, awards } },
      notes: [
        `${options.users} users, ${CONCURRENCY} concurrent, ${options.rounds} rounds of ${options.duration} s; pgbench replays the ${statements.length} statements one addPoints sends (captured off the driver), -M extended, SERIALIZABLE`,
        'HTTP calls carry no Idempotency-Key header (AdminPointsService keys each grant itself); sizes are deltas over all awards of the measured rounds',
        ...rounds.flatMap((r, i) => [describeBatchSizes(`round ${i + 1} in-process`, r.inProcess.batches), describeBatchSizes(`round ${i + 1} HTTP`, r.http.batches)]),
        describeBatchSizes('1 connection', lone.batches),
        describeBatchSizes('2 connections', pair.batches),
      ],
    };
  } finally {
    await http.stop();
    await app.close();
    await db.drop();
  }
};

async function sizes(url: string): Promise<Sizes> {
  return withClient(url, async (c) => {
    const { rows } = await c.query(
      `SELECT (SELECT count(*) FROM point_transactions)::bigint AS rows,
              pg_relation_size('point_transactions') AS table,
              pg_indexes_size('point_transactions') AS indexes,
              pg_total_relation_size('point_transactions') AS total,
              pg_total_relation_size('users') AS users,
              pg_total_relation_size('point_balances') AS balances`,
    );
    const r = rows[0];
    return { rows: Number(r.rows), table: Number(r.table), indexes: Number(r.indexes), total: Number(r.total), users: Number(r.users), balances: Number(r.balances) };
  });
}
