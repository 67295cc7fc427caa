import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DiscoveryService, MetadataScanner } from '@nestjs/core';
import PgBoss from 'pg-boss';
import { isDatabaseOutage } from '../common/errors/outage';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { jobsProcessed, QueueCounts } from '../metrics/metrics';
import { InTx } from '../database/unit-of-work';
import { carryOverNewerJobSchema } from './carry-over-newer-job-schema';
import { underJobSetupLock } from './job-setup-lock';
import { Job, jobDeclarationOf, JobName, JobOptions, JobPayloads, QueueSettings } from './job-catalogue';
import { QueueWorker } from './queue-worker';
import { transactionDb } from './transaction-db';

interface Worker extends JobOptions {
  name: JobName;
  handle(data: object, job: Job<object>): Promise<unknown>;
  handleBatch?(jobs: Array<Job<object>>): Promise<unknown>;
}

export const JOBS_SCHEMA = 'pgboss';

/**
 * A running job's deadline is pushed this far ahead every half of this; one whose process was
 * killed passes it and is failed and retried at the next supervision, so it runs again well
 * within a minute however long `expireInSeconds` lets a live job take.
 */
export const JOB_HEARTBEAT_SECONDS = 20;
/** pg-boss 10's expiry of a queue that sets none. */
const DEFAULT_EXPIRE_SECONDS = 15 * 60;
const POLLING_INTERVAL_MS = 2_000;
const OUTAGE_WARNING_INTERVAL_MS = 10_000;
/** How long shutdown waits for running jobs; those still running are retried after their heartbeat lapses. */
const STOP_TIMEOUT_MS = 4_000;

/** What `send` passes to pg-boss: its own options, with the connection left to JobsService. */
export type SendOptions = Omit<PgBoss.SendOptions, 'db'>;

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
  private workers: QueueWorker[] = [];
  private workersStarted = false;
  private outageWarnedAt = 0;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
  ) {}

  /** Enqueues a job; with `tx` it commits (or rolls back) with the unit of work that causes it. */
  async send<N extends JobName>(name: N, data: JobPayloads[N], options: SendOptions & InTx = {}): Promise<string | null> {
    const { tx, ...rest } = options;
    const id = await this.started().send(name, data as object, tx ? { ...rest, db: transactionDb(tx.manager) } : rest);
    if (rest.startAfter === undefined) this.wakeAfter(tx, name);
    return id;
  }

  /** pg-boss 10 has no LISTEN/NOTIFY: this process's own idle workers of the queue fetch at once; other instances at their next poll. */
  private wakeAfter(tx: InTx['tx'], name: string): void {
    const wake = () => this.workers.forEach((worker) => worker.queue === name && worker.wake());
    if (tx) tx.afterCommit(wake);
    else wake();
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
        const handler = instance[method] as (data: unknown, job: unknown) => Promise<unknown>;
        const handle: Worker['handle'] = options.batch ? (data, job) => handler.call(instance, [data], [job]) : (data, job) => handler.call(instance, data, job);
        const handleBatch: Worker['handleBatch'] = options.batch ? (jobs) => handler.call(instance, jobs.map((job) => job.data), jobs) : undefined;
        this.definitions.set(declaration.name, { ...options, name: declaration.name, handle, handleBatch });
      }
    }
  }

  /**
   * Enqueues many jobs of one queue in one statement; with `tx` they commit (or roll back) with it.
   * A job whose singletonKey is taken under the queue's policy is skipped, as `send` skips it.
   */
  async sendMany<N extends JobName>(name: N, jobs: Array<{ id?: string; data: JobPayloads[N]; singletonKey?: string }>, { tx }: InTx = {}): Promise<void> {
    if (jobs.length === 0) return;
    await this.started().insert(
      jobs.map((job) => ({ ...job, name, data: job.data as object })),
      tx ? { db: transactionDb(tx.manager) } : {},
    );
    this.wakeAfter(tx, name);
  }

  async onApplicationBootstrap(): Promise<void> {
    this.discoverWorkers();
    const boss = await underJobSetupLock(this.config.databaseUrl, () => this.setUpQueues());
    this.boss = boss;
    for (const def of this.definitions.values()) {
      const settings = this.queueSettings(def);
      // pg-boss 10 has no local concurrency: each slot is a fetch loop of its own.
      for (let slot = 0; slot < (def.localConcurrency ?? 1); slot++) {
        this.workers.push(
          new QueueWorker(boss, def.name, {
            schema: JOBS_SCHEMA,
            batchSize: def.batchSize ?? 1,
            pollingIntervalMs: POLLING_INTERVAL_MS,
            heartbeatSeconds: JOB_HEARTBEAT_SECONDS,
            expireInSeconds: settings.expireInSeconds ?? DEFAULT_EXPIRE_SECONDS,
            retryDelayMaxSeconds: settings.retryDelayMax,
            handle: async (job) => {
              await def.handle(job.data, job);
              jobsProcessed.inc({ queue: def.name, result: 'completed' });
            },
            handleBatch: def.handleBatch && (async (jobs) => {
              await def.handleBatch!(jobs);
              jobsProcessed.inc({ queue: def.name, result: 'completed' }, jobs.length);
            }),
            onJobFailed: (job, error) => {
              jobsProcessed.inc({ queue: def.name, result: 'failed' });
              this.logger.warn({ err: error, job: def.name, jobId: job.id }, 'job failed; pg-boss will retry it');
            },
            onError: (error) => this.onError(error as Error),
          }),
        );
      }
    }
    this.workersStarted = true;
  }

  /** Carries a newer pg-boss's schema over, starts pg-boss and brings every queue and schedule to this build's settings. */
  private async setUpQueues(): Promise<PgBoss> {
    const carried = await carryOverNewerJobSchema(this.config.databaseUrl, JOBS_SCHEMA);
    if (carried > 0) this.logger.log({ jobs: carried }, 'pg-boss: jobs carried over from a newer pg-boss schema');
    const boss = new PgBoss({
      connectionString: this.config.databaseUrl,
      schema: JOBS_SCHEMA,
      application_name: 'referral-points-jobs',
      max: 5,
      maintenanceIntervalSeconds: this.config.jobSuperviseIntervalSeconds,
    });
    // pg-boss reconnects by itself: a database outage is worth a warning, not an error per poll.
    boss.on('error', (error) => this.onError(error));
    boss.on('maintenance', () => void this.deleteFinished(boss).catch((error) => this.onError(error)));
    await boss.start();
    for (const def of this.definitions.values()) {
      const { retryDelayMax: _max, deleteAfterSeconds: _delete, retentionSeconds, ...settings } = this.queueSettings(def);
      // pg-boss 10 takes a queue's retention in minutes only (retentionSeconds is dropped silently).
      const queue = { ...settings, name: def.name, ...(retentionSeconds && { retentionMinutes: Math.ceil(retentionSeconds / 60) }) };
      await boss.createQueue(def.name, queue);
      // createQueue leaves an existing queue as it was created: bring its settings up to this build's.
      await boss.updateQueue(def.name, queue);
      if (def.schedule) await boss.schedule(def.name, def.schedule, {}, { tz: 'UTC' });
    }
    return boss;
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.workersStarted = false;
    // Jobs still finishing may enqueue follow-ups, so sending works until the stop is done; jobs
    // still running after the timeout run again elsewhere once their heartbeat lapses.
    const settled = Promise.all(this.workers.map((worker) => worker.stop()));
    await Promise.race([settled, new Promise((resolve) => setTimeout(resolve, STOP_TIMEOUT_MS).unref())]);
    this.workers = [];
    await this.boss?.stop({ graceful: false, wait: true, timeout: 1_000 });
    this.boss = undefined;
  }

  /** True once every registered queue has its worker, until shutdown begins. */
  isReady(): boolean {
    return this.workersStarted;
  }

  /** Counts of the registered queues, one query on pg-boss's job table (its archive holds the finished ones). */
  async queueCounts(): Promise<QueueCounts[]> {
    if (!this.boss || this.definitions.size === 0) return [];
    const names = [...this.definitions.keys()];
    const { rows } = await this.boss.getDb().executeSql(
      `SELECT name, count(*) FILTER (WHERE state IN ('created', 'retry'))::int AS queued,
              count(*) FILTER (WHERE state = 'active')::int AS active, count(*) FILTER (WHERE state = 'failed')::int AS failed
       FROM ${JOBS_SCHEMA}.job WHERE name = ANY($1) GROUP BY name`,
      [names],
    );
    const counted = new Map<string, { queued: number; active: number; failed: number }>(rows.map((r) => [r.name, r]));
    return names.map((queue) => ({ queue, queued: 0, active: 0, failed: 0, ...counted.get(queue) }));
  }

  private queueSettings(def: Worker): QueueSettings {
    return { retryLimit: 10, retryDelay: 1, retryBackoff: true, ...def.queue };
  }

  /** pg-boss 10 keeps finished jobs for a fixed time; queues with `deleteAfterSeconds` (mails hold codes) go sooner. */
  private async deleteFinished(boss: PgBoss): Promise<void> {
    for (const def of this.definitions.values()) {
      const seconds = def.queue?.deleteAfterSeconds;
      if (seconds === undefined) continue;
      const db = boss.getDb();
      await db.executeSql(
        `DELETE FROM ${JOBS_SCHEMA}.job WHERE name = $1 AND state IN ('completed', 'cancelled', 'failed') AND completed_on < now() - make_interval(secs => $2)`,
        [def.name, seconds],
      );
      await db.executeSql(`DELETE FROM ${JOBS_SCHEMA}.archive WHERE name = $1 AND completed_on < now() - make_interval(secs => $2)`, [def.name, seconds]);
    }
  }

  private onError(error: Error): void {
    if (!isDatabaseOutage(error)) return this.logger.error({ err: error }, 'pg-boss error');
    // Every fetch loop notices an outage on each poll: one warning per interval says it.
    if (Date.now() - this.outageWarnedAt < OUTAGE_WARNING_INTERVAL_MS) return;
    this.outageWarnedAt = Date.now();
    this.logger.warn({ reason: error.message }, 'pg-boss: database unreachable');
  }

  private started(): PgBoss {
    if (!this.boss) throw new Error('pg-boss is not started yet');
    return this.boss;
  }
}
