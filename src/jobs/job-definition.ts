import type { Job, Queue } from 'pg-boss';

/** A queue and its worker, registered by the module that owns the work. */
export interface JobDefinition<T extends object = object> {
  name: string;
  queue?: Omit<Queue, 'name'>;
  /** Handles one job; throwing fails it and pg-boss retries it (handlers must be idempotent). */
  handle(data: T, job: Job<T>): Promise<void>;
  batchSize?: number;
  localConcurrency?: number;
  /** A cron expression (UTC): pg-boss enqueues the job on that schedule, once across all instances. */
  schedule?: string;
}
