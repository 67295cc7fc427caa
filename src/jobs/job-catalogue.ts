import type PgBoss from 'pg-boss';
import { AppConfig } from '../config/app-config';

/**
 * Every queue's payload, by queue name. A module declares its queues once, in its `*-jobs.ts`,
 * by augmenting this interface (`declare module '…/jobs/job-catalogue'`); `send` and `@OnJob`
 * are then typed by the name.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface JobPayloads {}

export type JobName = keyof JobPayloads;

/** The payload of a scheduled job, which pg-boss enqueues by itself. */
export type NoPayload = Record<string, never>;

/** The fields of a job a handler sees. */
export type Job<T = object> = PgBoss.JobWithMetadata<T>;

/** pg-boss 10's queue settings (times in seconds, as JobsService reads them), plus two that JobsService implements on top. */
export type QueueSettings = Omit<PgBoss.Queue, 'name' | 'expireInMinutes' | 'expireInHours' | 'retentionMinutes' | 'retentionHours' | 'retentionDays'> & {
  /** Caps the exponential back-off between attempts. */
  retryDelayMax?: number;
  /** Deletes the queue's finished jobs this long after they finish (pg-boss 10 keeps them 12 h + 7 days). */
  deleteAfterSeconds?: number;
};

export interface JobOptions {
  queue?: QueueSettings;
  batchSize?: number;
  localConcurrency?: number;
  /** A cron expression (UTC): pg-boss enqueues the job on that schedule, once across all instances. */
  schedule?: string;
  /** The handler takes every job of a fetched batch at once (payloads and jobs as arrays); see QueueWorker.handleBatch. */
  batch?: boolean;
}

export type JobHandler<N extends JobName> = (data: JobPayloads[N], job: Job<JobPayloads[N]>) => Promise<unknown>;

export type BatchJobHandler<N extends JobName> = (data: Array<JobPayloads[N]>, jobs: Array<Job<JobPayloads[N]>>) => Promise<unknown>;

export interface JobDeclaration {
  name: JobName;
  /** Options that depend on the configuration or on the worker's own injected settings are a function of them. */
  options: JobOptions | ((config: AppConfig, worker: any) => JobOptions);
}

const JOB_HANDLER = Symbol('job-handler');

/**
 * Makes the method the worker of queue `name`: JobsService finds it on any provider and starts
 * it on every instance. Throwing fails the job and pg-boss retries it, so handlers must be
 * idempotent.
 */
export function OnJob<N extends JobName>(name: N, options?: JobOptions & { batch?: false } | ((config: AppConfig, worker: any) => JobOptions & { batch?: false })): <M extends JobHandler<N>>(_target: object, _key: string | symbol, descriptor: TypedPropertyDescriptor<M>) => void;
export function OnJob<N extends JobName>(name: N, options: JobOptions & { batch: true } | ((config: AppConfig, worker: any) => JobOptions & { batch: true })): <M extends BatchJobHandler<N>>(_target: object, _key: string | symbol, descriptor: TypedPropertyDescriptor<M>) => void;
export function OnJob<N extends JobName>(name: N, options: JobDeclaration['options'] = {}) {
  return <M extends JobHandler<N> | BatchJobHandler<N>>(_target: object, _key: string | symbol, descriptor: TypedPropertyDescriptor<M>): void => {
    Reflect.defineMetadata(JOB_HANDLER, { name, options } satisfies JobDeclaration, descriptor.value!);
  };
}

export function jobDeclarationOf(method: unknown): JobDeclaration | undefined {
  return typeof method === 'function' ? Reflect.getMetadata(JOB_HANDLER, method) : undefined;
}
