import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DiscoveryService, MetadataScanner } from '@nestjs/core';
import { Job, JobResult, PgBoss, SendOptions, WorkOptions } from 'pg-boss';
import { isDatabaseOutage } from '../common/errors/outage';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { jobsProcessed, QueueCounts } from '../metrics/metrics';
import { InTx } from '../database/unit-of-work';
import { jobDeclarationOf, JobName, JobOptions, JobPayloads } from './job-catalogue';
import { transactionDb } from './transaction-db';

interface Worker extends JobOptions {
  name: JobName;
  handle(data: object, job: Job<object>): Promise<unknown>;
}

export const JOBS_SCHEMA = 'pgboss';

/**
 * A running job refreshes its heartbeat every half of this; one that misses it (its process was
 * killed) is failed and retried at the next supervision, so it runs again well within a minute
 * however long `expireInSeconds` lets a live job take.
 */
export const JOB_HEARTBEAT_SECONDS = 20;
/** How long shutdown waits for running jobs; those still running are retried after their heartbeat lapses. */
const STOP_TIMEOUT_MS = 4_000;

/**
 * pg-boss on the app's PostgreSQL. Workers are the `@OnJob` methods of any provider (see
 * job-catalogue.ts); queues and workers start once the whole app is up, on every instance. Workers stop before
 * the socket adapter closes, so the events of their last commits are still announced.
 */
@Injectable()
export class JobsService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(JobsService.name);
  private readonly definitions = new Map<string, Worker>();
  private boss?: PgBoss;
  private workersStarted = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
  ) {}

  /** Enqueues a job; with `tx` it commits (or rolls back) with the unit of work that causes it. */
  async send<N extends JobName>(name: N, data: JobPayloads[N], options: SendOptions & InTx = {}): Promise<string | null> {
    const { tx, ...rest } = options;
    return this.started().send(name, data as object, tx ? { ...rest, db: transactionDb(tx.manager) } : rest);
  }

  private discoverWorkers(): void {
    for (const wrapper of this.discovery.getProviders()) {
      const instance = wrapper.instance as Record<string, unknown> | undefined;
      if (!instance || typeof instance !== 'object' || !wrapper.isDependencyTreeStatic()) continue;
      const prototype = Object.getPrototypeOf(instance) as object;
      for (const method of this.scanner.getAllMethodNames(prototype)) {
        const declaration = jobDeclarationOf(instance[method]);
        if (!declaration) continue;
        if (this.definitions.has(declaration.name)) throw new Error(`job ${declaration.name} has two workers`);
        const options = typeof declaration.options === 'function' ? declaration.options(this.config, instance) : declaration.options;
        const handler = instance[method] as Worker['handle'];
        this.definitions.set(declaration.name, { ...options, name: declaration.name, handle: (data, job) => handler.call(instance, data, job) });
      }
    }
  }

  /** Enqueues many jobs of one queue in one statement, committed (or rolled back) with `tx`. */
  async sendMany<N extends JobName>(name: N, jobs: Array<{ id?: string; data: JobPayloads[N] }>, { tx }: Required<InTx>): Promise<void> {
    if (jobs.length > 0) await this.started().insert(name, jobs as Array<{ id?: string; data: object }>, { db: transactionDb(tx.manager), returnId: false });
  }

  async onApplicationBootstrap(): Promise<void> {
    this.discoverWorkers();
    const boss = new PgBoss({
      connectionString: this.config.databaseUrl,
      schema: JOBS_SCHEMA,
      application_name: 'referral-points-jobs',
      max: 5,
      useListenNotify: true,
      superviseIntervalSeconds: this.config.jobSuperviseIntervalSeconds,
      monitorIntervalSeconds: this.config.jobSuperviseIntervalSeconds,
    });
    // pg-boss reconnects by itself: a database outage is worth a warning, not an error per poll.
    boss.on('error', (error) =>
      isDatabaseOutage(error) ? this.logger.warn({ reason: error.message }, 'pg-boss: database unreachable') : this.logger.error({ err: error }, 'pg-boss error'),
    );
    await boss.start();
    this.boss = boss;
    for (const def of this.definitions.values()) {
      const queue = { retryLimit: 10, retryDelay: 1, retryBackoff: true, notify: true, heartbeatSeconds: JOB_HEARTBEAT_SECONDS, ...def.queue };
      await boss.createQueue(def.name, queue);
      // createQueue leaves an existing queue as it was created: bring its settings up to this build's.
      const { policy: _policy, partition: _partition, ...updatable } = queue;
      await boss.updateQueue(def.name, updatable);
      if (def.schedule) await boss.schedule(def.name, def.schedule, {}, { tz: 'UTC' });
    }
    for (const def of this.definitions.values()) {
      await boss.work<object, unknown, WorkOptions & { perJobResults: true }>(
        def.name,
        {
          batchSize: def.batchSize ?? 1,
          localConcurrency: def.localConcurrency ?? 1,
          pollingIntervalSeconds: 2,
          notifyPollingIntervalSeconds: 2,
          burstWhenBatchFull: true,
          perJobResults: true,
        },
        // Settled one by one: a failing job is retried alone instead of failing its whole batch.
        async (jobs) => {
          const results: JobResult[] = [];
          for (const job of jobs) {
            try {
              await def.handle(job.data, job);
              results.push({ id: job.id, status: 'completed' });
              jobsProcessed.inc({ queue: def.name, result: 'completed' });
            } catch (error) {
              jobsProcessed.inc({ queue: def.name, result: 'failed' });
              this.logger.warn({ err: error, job: def.name, jobId: job.id }, 'job failed; pg-boss will retry it');
              results.push({ id: job.id, status: 'failed', output: { message: error instanceof Error ? error.message : String(error) } });
            }
          }
          return results;
        },
      );
    }
    this.workersStarted = true;
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.workersStarted = false;
    // Jobs still finishing may enqueue follow-ups, so sending works until the stop is done.
    await this.boss?.stop({ graceful: true, timeout: STOP_TIMEOUT_MS });
    this.boss = undefined;
  }

  /** True once every registered queue has its worker, until shutdown begins. */
  isReady(): boolean {
    return this.workersStarted;
  }

  /** Counts of the registered queues from pg-boss's queue table (refreshed by its monitor), one cheap query. */
  async queueCounts(): Promise<QueueCounts[]> {
    if (!this.boss || this.definitions.size === 0) return [];
    const queues = await this.boss.getQueues([...this.definitions.keys()]);
    return queues.map((q) => ({ queue: q.name, queued: q.queuedCount, active: q.activeCount, failed: q.failedCount }));
  }

  private started(): PgBoss {
    if (!this.boss) throw new Error('pg-boss is not started yet');
    return this.boss;
  }
}
