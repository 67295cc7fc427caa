import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppConfig } from '../src/config/app-config';
import { WebhookSecrets } from '../src/webhooks/webhook-secrets';
import { AppProcess, killApp, spawnApp, waitHealthy } from './utils/app-process';
import { until } from './utils/wait';
import { startReceiver, verifyStandardWebhook, WebhookReceiver } from './utils/webhook-receiver';

/*
 * A worker process killed (SIGKILL) while its delivery is in flight, with the shipped job
 * settings: the job stops sending heartbeats, a second process retries it, and the receiver
 * gets the event again with the same webhook-id (at least once). Needs the compiled app.
 */
describe('a webhook delivery whose worker is killed mid-send', () => {
  let db: Client;
  let receiver: WebhookReceiver;
  const apps: AppProcess[] = [];

  beforeAll(async () => {
    db = new Client({ connectionString: process.env.DATABASE_URL });
    await db.connect();
  });
  afterAll(async () => {
    apps.forEach(killApp);
    await receiver?.close();
    await db?.end();
  });

  const start = async () => {
    const app = await spawnApp({
      env: { DATABASE_URL: process.env.DATABASE_URL!, LOG_LEVEL: 'silent', WEBHOOK_ALLOW_PRIVATE_URLS: 'true', JOBS_SUPERVISE_INTERVAL_SECONDS: '1' },
    });
    apps.push(app);
    await waitHealthy(app);
    return app;
  };

  it('delivers the event after a restart, with the same webhook-id', async () => {
    // The first request is left unanswered: the process holding it is killed meanwhile.
    receiver = await startReceiver((_req, res, n) => (n === 0 ? undefined : res.writeHead(200).end()));
    const secrets = new WebhookSecrets({ webhooks: { secretKey: process.env.JWT_SECRET! } } as AppConfig);
    const secret = secrets.generate();
    const [{ id: endpointId }] = (
      await db.query(`INSERT INTO webhook_endpoints (url, events, secret_encrypted) VALUES ($1, '{*}', $2) RETURNING id`, [receiver.url, secrets.encrypt(secret)])
    ).rows;

    const first = await start();
    const userId = randomUUID();
    await db.query(`INSERT INTO webhook_events (type, data) VALUES ('points.earned', $1)`, [
      JSON.stringify({ userId, transactionId: randomUUID(), amount: 5, source: 'purchase', status: 'posted', purchaseId: null, balanceAfter: { total: 5, available: 5, pending: 0, debt: 0 } }),
    ]);
    await until(() => receiver.received.length, (n) => n === 1, 20_000);
    first.child.kill('SIGKILL');
    await first.exited;
    const [inFlight] = (await db.query(`SELECT status, attempt FROM webhook_deliveries WHERE endpoint_id = $1`, [endpointId])).rows;
    expect(inFlight).toEqual({ status: 'pending', attempt: 0 });

    await start();
    await until(() => receiver.received.length, (n) => n >= 2, 90_000);
    const [a, b] = receiver.received;
    expect(b.headers['webhook-id']).toBe(a.headers['webhook-id']);
    expect(JSON.parse(b.body)).toMatchObject({ type: 'points.earned', data: { userId } });
    expect(verifyStandardWebhook(secret, b.headers, b.body)).toBe(true);
    const row = await until(
      async () => (await db.query(`SELECT status, attempt, response_status FROM webhook_deliveries WHERE endpoint_id = $1`, [endpointId])).rows[0],
      (r) => r.status === 'succeeded',
    );
    expect(row).toEqual({ status: 'succeeded', attempt: 1, response_status: 200 });
  }, 150_000);
});
