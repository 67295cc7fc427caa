import parsePrometheusTextFormat, { PrometheusFamily } from 'parse-prometheus-text-format';
import { randomBytes, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpDuration } from '../src/metrics/metrics';
import { connectSocket } from './utils/sockets';
import { createTestApp, TestApp } from './utils/test-app';
import { createTestUser } from './utils/test-users';
import { balances, referralChain, signedPost } from './utils/purchase-webhooks';
import { until } from './utils/wait';

const TOKEN = 'metrics-token-for-tests-0123456789';

describe('GET /metrics and the probes', () => {
  let t: TestApp;
  beforeAll(async () => {
    process.env.METRICS_TOKEN = TOKEN;
    try {
      t = await createTestApp();
    } finally {
      delete process.env.METRICS_TOKEN;
    }
  });
  afterAll(() => t.close());

  async function scrape(): Promise<PrometheusFamily[]> {
    const res = await t.http.get('/metrics').set('Authorization', `Bearer ${TOKEN}`).expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    return parsePrometheusTextFormat(res.text);
  }

  const family = (families: PrometheusFamily[], name: string) => families.find((f) => f.name === name);

  /** The sample's value, or 0 when the series does not exist yet. */
  function value(families: PrometheusFamily[], name: string, labels: Record<string, string> = {}): number {
    const sample = family(families, name)?.metrics.find((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v));
    return sample ? Number(sample.value ?? sample.count) : 0;
  }

  describe('METRICS_TOKEN', () => {
    it('answers 401 with the error envelope without a token or with a wrong one, 200 with it', async () => {
      for (const auth of [undefined, 'Bearer wrong-token-wrong-token-00', `Basic ${TOKEN}`, `Bearer ${TOKEN}x`]) {
        const req = t.http.get('/metrics');
        const res = await (auth ? req.set('Authorization', auth) : req);
        expect(res.status).toBe(401);
        expect(res.body).toMatchObject({ statusCode: 401, code: 'UNAUTHORIZED' });
      }
      await t.http.get('/metrics').set('Authorization', `Bearer ${TOKEN}`).expect(200);
    });
  });

  describe('the families', () => {
    it('parses as Prometheus text and declares every family of the contract, with process metrics', async () => {
      const families = await scrape();
      const types = Object.fromEntries(families.map((f) => [f.name, f.type]));
      expect(types).toMatchObject({
        http_requests_total: 'COUNTER',
        http_request_duration_seconds: 'HISTOGRAM',
        ledger_writes_total: 'COUNTER',
        serializable_retries_total: 'COUNTER',
        serializable_give_ups_total: 'COUNTER',
        jobs_processed_total: 'COUNTER',
        jobs_queued: 'GAUGE',
        jobs_active: 'GAUGE',
        jobs_failed: 'GAUGE',
        sockets_connected: 'GAUGE',
        process_cpu_user_seconds_total: 'COUNTER',
        nodejs_eventloop_lag_seconds: 'GAUGE',
      });
      // Declared before the feature exists (the parser drops families with no samples).
      const raw = (await t.http.get('/metrics').set('Authorization', `Bearer ${TOKEN}`)).text;
      expect(raw).toContain('# TYPE webhook_deliveries_total counter');
      expect(value(families, 'jobs_queued', { queue: 'purchase-reward' })).toBeGreaterThanOrEqual(0);
      expect(family(families, 'jobs_queued')?.metrics.map((m) => m.labels?.queue)).toContain('purchase-reward');
    });

    it('counts requests by route template and status, with latency, and leaves its own scrapes out', async () => {
      const labels = { method: 'GET', route: '/health/live', status: '200' };
      // The parser folds a labelled histogram's series together, so its count is read from the registry.
      const observed = async () =>
        (await httpDuration.get()).values.find(
          (v) => v.metricName === 'http_request_duration_seconds_count' && v.labels.route === labels.route && v.labels.status === '200',
        )?.value ?? 0;
      const before = await scrape();
      const observedBefore = await observed();
      await t.http.get('/health/live').expect(200);
      await t.http.get('/health/live').expect(200);
      const after = await scrape();
      expect(value(after, 'http_requests_total', labels) - value(before, 'http_requests_total', labels)).toBe(2);
      expect((await observed()) - observedBefore).toBe(2);
      expect(family(after, 'http_requests_total')?.metrics.some((m) => m.labels?.route === '/metrics')).toBe(false);
    });

    it('counts committed ledger writes by type and the job that made them', async () => {
      const before = await scrape();
      const { referrer, buyer } = await referralChain(t.app);
      await signedPost(t.http, '/api/purchases/completed', { orderId: `o-${randomUUID()}`, userId: buyer.id, amount: 10_000, currency: 'USD' }).expect(202);
      await until(() => balances(t.app, buyer.id), (b) => b.total === 100);
      await until(() => balances(t.app, referrer.id), (b) => b.total === 600);
      const after = await until(scrape, (f) => value(f, 'jobs_processed_total', { queue: 'purchase-reward', result: 'completed' }) >
        value(before, 'jobs_processed_total', { queue: 'purchase-reward', result: 'completed' }));
      // Referee bonus, referrer bonus and two commissions: four earn entries, each counted once.
      expect(value(after, 'ledger_writes_total', { type: 'earn' }) - value(before, 'ledger_writes_total', { type: 'earn' })).toBe(4);
      const route = { method: 'POST', route: '/api/purchases/completed', status: '202' };
      expect(value(after, 'http_requests_total', route) - value(before, 'http_requests_total', route)).toBe(1);
    });

    it('reports connected sockets as a gauge that follows connects and disconnects', async () => {
      const user = await createTestUser(t.app);
      const base = value(await scrape(), 'sockets_connected');
      const sockets = [await connectSocket(t.url, user.token), await connectSocket(t.url, user.token)];
      await until(scrape, (f) => value(f, 'sockets_connected') === base + 2);
      for (const s of sockets) s.disconnect();
      await until(scrape, (f) => value(f, 'sockets_connected') === base);
    });

    it('keeps cardinality bounded: 1,000 requests to distinct ids add only a handful of series', async () => {
      const series = (f: PrometheusFamily[]) => family(f, 'http_requests_total')?.metrics.length ?? 0;
      const before = series(await scrape());
      const paths = Array.from({ length: 1_000 }, (_, i) =>
        i % 3 === 0
          ? `/r/${randomBytes(6).toString('hex')}`
          : i % 3 === 1
            ? `/api/admin/referrals/${randomUUID()}/approve`
            : `/no-such-route/${randomUUID()}`,
      );
      for (let i = 0; i < paths.length; i += 25) {
        await Promise.all(
          paths.slice(i, i + 25).map((p) => (p.includes('/approve') ? t.http.post(p) : t.http.get(p))),
        );
      }
      const after = await scrape();
      const routes = new Set(family(after, 'http_requests_total')!.metrics.map((m) => m.labels!.route));
      expect(series(after) - before).toBeLessThanOrEqual(6);
      expect([...routes].some((r) => /[0-9a-f]{8}-/.test(r) || /\/r\/[0-9a-f]{12}/.test(r))).toBe(false);
      expect([...routes]).toEqual(expect.arrayContaining(['/r/:code', '/api/admin/referrals/:id/approve', 'unmatched']));
    });
  });

  describe('GET /health/live and /health/ready', () => {
    it('answers live without touching the database, and ready once migrations and workers are up', async () => {
      expect((await t.http.get('/health/live').expect(200)).body).toEqual({ status: 'ok' });
      expect((await t.http.get('/health/ready').expect(200)).body).toEqual({
        status: 'ok',
        checks: { database: 'up', migrations: 'applied', jobs: 'started' },
      });
      expect((await t.http.get('/health').expect(200)).body).toEqual({ status: 'ok', database: 'up' });
    });

    it('answers ready 503 naming the migrations check when one is pending, and 200 again once applied', async () => {
      // This file's own cloned database: forget the last migration as if it had not run yet.
      const db = t.app.get(DataSource);
      const [last] = await db.query(`SELECT id, timestamp, name FROM typeorm_migrations ORDER BY timestamp DESC LIMIT 1`);
      await db.query(`DELETE FROM typeorm_migrations WHERE id = $1`, [last.id]);
      try {
        const res = await t.http.get('/health/ready').expect(503);
        expect(res.headers['retry-after']).toBeDefined();
        expect(res.body).toMatchObject({ statusCode: 503, code: 'SERVICE_UNAVAILABLE' });
        expect(res.body.message).toContain('migrations');
        expect(res.body.message).toContain(last.name);
        await t.http.get('/health/live').expect(200);
      } finally {
        await db.query(`INSERT INTO typeorm_migrations (id, timestamp, name) VALUES ($1, $2, $3)`, [last.id, last.timestamp, last.name]);
      }
      await t.http.get('/health/ready').expect(200);
    });
  });
});
