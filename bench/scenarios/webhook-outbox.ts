import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { PointsService } from '../../src/points/points.service';
import { OUTBOX_INSERT_SQL } from '../../src/webhooks/webhook-outbox';
import { WebhooksService } from '../../src/webhooks/webhooks.service';
import { startAppContext } from '../app-context';
import { freshDatabase, withClient } from '../bench-database';
import { benchEnv } from '../bench-env';
import { captureStatements, pgbenchScript } from '../capture-sql';
import { PgbenchResult, runPgbench } from '../pgbench';
import { ScenarioReport } from '../report';
import { Scenario } from '../scenario';
import { benchUserId, benchUserIdSql, seedUsers } from '../seed';
import { median, ratio } from '../stats';

const CONCURRENCY = 16;

/** A points.earned event's data as the award path will record it (about its real size). */
const EVENT_DATA = {
  userId: randomUUID(),
  transactionId: randomUUID(),
  amount: 10,
  source: 'admin',
  status: 'posted',
  purchaseId: null,
  balanceAfter: { total: 1010, available: 1010, pending: 0, debt: 0 },
};

/**
 * Scenario 6: what the webhook outbox costs scenario 1's awards. pgbench replays addPoints'
 * transaction as captured (the ceiling of scenario 1), then the same transaction with the
 * outbox's one INSERT before its COMMIT: first with no endpoint enabled, then while the app's
 * dispatcher fans every event out to one endpoint subscribed to `*` and its workers deliver
 * them to a loopback receiver.
 */
export const webhookOutbox: Scenario = async ({ server, options, log }): Promise<ScenarioReport> => {
  const db = await freshDatabase(server);
  await seedUsers(db.url, options.users);
  // development: the loopback receiver is plain http, which production refuses.
  const app = await startAppContext(benchEnv(db.url, { NODE_ENV: 'development', WEBHOOK_ALLOW_PRIVATE_URLS: 'true', LOG_LEVEL: 'silent' }));
  let received = 0;
  const receiver = createServer((req, res) => {
    req.resume().on('end', () => {
      received++;
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  try {
    const webhooks = app.get(WebhooksService);
    const { id: endpointId } = await webhooks.create({ url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`, events: ['*'] }, 'cli');
    const subscribe = (enabled: boolean) => webhooks.update(endpointId, { enabled }, 'cli');
    const marker = `bench:capture:${randomUUID()}`;
    // The award path writes its outbox row itself; the plain ceiling is the same transaction without it.
    const captured = await captureStatements(marker, () =>
      app.get(PointsService).addPoints({ userId: benchUserId(1), amount: 10, source: 'admin', metadata: { reason: 'bench' }, idempotencyKey: marker }),
    );
    const statements = captured.filter((q) => q.sql !== OUTBOX_INSERT_SQL);
    const { script, defines } = pgbenchScript(
      statements,
      new Map([[benchUserId(1), benchUserIdSql(':uid')], [marker, ':key']]),
      [`\\set uid random(1, ${options.users})`, '\\set key random(1, 1000000000000000)'],
      'award',
    );
    const lines = script.trimEnd().split('\n');
    const withOutbox = [...lines.slice(0, -1), `${OUTBOX_INSERT_SQL.replace('$1', ':wtype').replace('$2', ':wdata')};`, lines.at(-1)].join('\n') + '\n';
    const outboxDefines = { ...defines, wtype: '{points.earned}', wdata: pgArray([JSON.stringify(EVENT_DATA)]) };
    const run = (body: string, d: Record<string, string>, secs: number) =>
      runPgbench({ url: db.url, scripts: [{ name: 'award', script: body }], defines: d, clients: CONCURRENCY, seconds: secs, maxTries: 40 });

    log('warm-up');
    await run(script, defines, 1);
    await run(withOutbox, outboxDefines, 1);

    /** Until the outbox and the delivery queue are empty (disabled, the endpoint's queued deliveries are only cancelled). */
    const drain = () =>
      withClient(db.url, async (c) => {
        for (const end = Date.now() + 60_000; Date.now() < end; await new Promise((r) => setTimeout(r, 250))) {
          const { rows } = await c.query(
            `SELECT (SELECT count(*) FROM webhook_events WHERE dispatched_at IS NULL)::int
                  + (SELECT count(*) FROM pgboss.job WHERE name = 'webhook-delivery' AND state IN ('created', 'retry', 'active'))::int AS n`,
          );
          if (rows[0].n === 0) return;
        }
      });

    const rounds: Array<{ plain: PgbenchResult; outboxOnly: PgbenchResult; outbox: PgbenchResult; deliveredPerSecond: number }> = [];
    for (let r = 1; r <= options.rounds; r++) {
      await subscribe(false);
      await drain();
      const plain = await run(script, defines, options.duration);
      const outboxOnly = await run(withOutbox, outboxDefines, options.duration);
      await drain();
      await subscribe(true);
      const before = received;
      const outbox = await run(withOutbox, outboxDefines, options.duration);
      const deliveredPerSecond = (received - before) / options.duration;
      log(
        `round ${r}: plain ${plain.tps.toFixed(0)} tps, outbox INSERT ${outboxOnly.tps.toFixed(0)} tps, ` +
          `with the endpoint on * ${outbox.tps.toFixed(0)} tps (${deliveredPerSecond.toFixed(0)} deliveries/s meanwhile)`,
      );
      rounds.push({ plain, outboxOnly, outbox, deliveredPerSecond });
    }
    const backlog = await withClient(db.url, async (c) => (await c.query(`SELECT count(*)::int AS n FROM webhook_events WHERE dispatched_at IS NULL`)).rows[0].n as number);

    const plain = median(rounds.map((r) => r.plain.tps));
    const outboxOnly = median(rounds.map((r) => r.outboxOnly.tps));
    const outbox = median(rounds.map((r) => r.outbox.tps));
    const keptInsert = ratio(outboxOnly, plain);
    const kept = ratio(outbox, plain);
    return {
      id: 6,
      title: 'Webhook outbox on awards',
      rows: [
        { measure: 'awards/s, addPoints transaction replayed (scenario 1 ceiling)', value: plain, unit: '/s' },
        {
          measure: 'awards/s with the outbox INSERT (no endpoint enabled: nothing fanned out)',
          value: outboxOnly,
          unit: '/s',
          baseline: { label: 'without outbox', value: plain },
          ratio: keptInsert,
          target: { label: '>= 90%', pass: keptInsert >= 0.9 },
        },
        {
          measure: 'awards/s with the outbox INSERT, one endpoint on *, dispatcher and deliveries running',
          value: outbox,
          unit: '/s',
          baseline: { label: 'without outbox', value: plain },
          ratio: kept,
          target: { label: '>= 90%', pass: kept >= 0.9 },
        },
        { measure: 'webhook deliveries/s during the outbox rounds', value: median(rounds.map((r) => r.deliveredPerSecond)), unit: '/s' },
        { measure: 'events not yet dispatched at the end', value: backlog, unit: '' },
      ],
      details: { users: options.users, concurrency: CONCURRENCY, script: withOutbox, rounds },
      notes: [
        'Until the award path records events itself (the unit of work), the outbox write is measured as SQL: the captured addPoints transaction plus the exact statement WebhookOutbox.record sends for one event',
        'Before each plain run the outbox and the delivery queue are drained, so no run pays for the previous one; the app, its receiver, pgbench and PostgreSQL share the machine',
        'The app runs NODE_ENV=development here so that its plain-http loopback receiver passes the SSRF guard (WEBHOOK_ALLOW_PRIVATE_URLS=true)',
      ],
    };
  } finally {
    await app.close();
    await new Promise((resolve) => receiver.close(resolve));
    await db.drop();
  }
};

/** A PostgreSQL array literal of text elements. */
function pgArray(items: string[]): string {
  return `{${items.map((i) => `"${i.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`).join(',')}}`;
}
