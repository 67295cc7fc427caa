import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { serializableStats } from '../database/serializable';

/**
 * One registry per process: instrumented code increments these directly (no await, no DI),
 * and GET /metrics renders them. No label carries a user, id or raw path.
 */
export const registry = new Registry();
collectDefaultMetrics({ register: registry });

export const httpRequests = new Counter({
  name: 'http_requests_total',
  help: 'HTTP requests by method, route template (or "unmatched") and status',
  labelNames: ['method', 'route', 'status'] as const,
  registers: [registry],
});

export const httpDuration = new Histogram({
  name: 'http_request_duration_seconds',
  help: 'HTTP request latency by method, route template and status',
  labelNames: ['method', 'route', 'status'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [registry],
});

export const ledgerWrites = new Counter({
  name: 'ledger_writes_total',
  help: 'Committed point ledger entries by type',
  labelNames: ['type'] as const,
  registers: [registry],
});

export const ledgerBatchSize = new Histogram({
  name: 'ledger_batch_size',
  help: 'Ledger entries written per set-based statement (group commit and reward batches)',
  buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256],
  registers: [registry],
});

// database/ imports no module, so its own counters are read at scrape time.
new Counter({
  name: 'serializable_retries_total',
  help: 'SERIALIZABLE transactions re-run after a serialization failure or deadlock',
  registers: [registry],
  collect() {
    this.reset();
    this.inc(serializableStats.retries);
  },
});

new Counter({
  name: 'serializable_give_ups_total',
  help: 'SERIALIZABLE transactions abandoned after their last attempt (answered 503)',
  registers: [registry],
  collect() {
    this.reset();
    this.inc(serializableStats.exhausted);
  },
});

export const jobsProcessed = new Counter({
  name: 'jobs_processed_total',
  help: 'Job attempts handled by this instance, by queue and result (completed or failed)',
  labelNames: ['queue', 'result'] as const,
  registers: [registry],
});

// Outbound webhooks (issue 13) are not built yet: the family is declared so dashboards and
// alerts can be written against it, and it has no series until deliveries exist.
export const webhookDeliveries = new Counter({
  name: 'webhook_deliveries_total',
  help: 'Outbound webhook delivery attempts by result',
  labelNames: ['result'] as const,
  registers: [registry],
});

/** Read at scrape time from whatever the app plugged in (see MetricsService). */
export const scrapeSources: {
  jobs?: () => Promise<QueueCounts[]>;
  sockets?: () => number;
} = {};

export interface QueueCounts {
  queue: string;
  queued: number;
  active: number;
  failed: number;
}

const jobGauges = (['queued', 'active', 'failed'] as const).map(
  (state) =>
    [
      state,
      new Gauge({
        name: `jobs_${state}`,
        help: `Jobs ${state} by queue, counted in pg-boss's job table`,
        labelNames: ['queue'] as const,
        registers: [registry],
      }),
    ] as const,
);

/** Filled once per scrape for all three job gauges; the source has its own short cache. */
async function refreshJobGauges(): Promise<void> {
  const counts = (await scrapeSources.jobs?.()) ?? [];
  for (const [state, gauge] of jobGauges) {
    gauge.reset();
    for (const c of counts) gauge.set({ queue: c.queue }, c[state]);
  }
}

new Gauge({
  name: 'sockets_connected',
  help: 'Socket.IO clients connected to this instance',
  registers: [registry],
  collect() {
    this.set(scrapeSources.sockets?.() ?? 0);
  },
});

export async function renderMetrics(): Promise<string> {
  await refreshJobGauges();
  return registry.metrics();
}
