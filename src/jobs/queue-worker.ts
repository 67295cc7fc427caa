import type PgBoss from 'pg-boss';

export type FetchedJob = PgBoss.JobWithMetadata<object>;

export interface QueueWorkerOptions {
  schema: string;
  batchSize: number;
  pollingIntervalMs: number;
  /** A running job's deadline is kept this far ahead while its process lives (see JOB_HEARTBEAT_SECONDS). */
  heartbeatSeconds: number;
  /** The queue's expiry: the longest a live job may run. */
  expireInSeconds: number;
  /** Caps the back-off of a failed job's next attempt (pg-boss 10 doubles it without a ceiling). */
  retryDelayMaxSeconds?: number;
  handle(job: FetchedJob): Promise<void>;
  /** When set, a fetched batch of two or more jobs is handed over whole and completes together; if it throws, each job runs alone through `handle`. */
  handleBatch?(jobs: FetchedJob[]): Promise<void>;
  onJobFailed(job: FetchedJob, error: unknown): void;
  onError(error: unknown): void;
}

/**
 * One fetch loop on one queue, instead of pg-boss 10's `work()`, which completes or fails a whole
 * batch together and pauses a full polling interval after every batch. Here each job is settled
 * alone (a failing job is retried without its batch-mates), a full batch is followed by the next
 * fetch at once, and running jobs keep a short deadline that a killed process stops extending.
 */
export class QueueWorker {
  private stopping = false;
  private endSleep?: () => void;
  private readonly done: Promise<void>;

  constructor(
    private readonly boss: PgBoss,
    readonly queue: string,
    private readonly options: QueueWorkerOptions,
  ) {
    this.done = this.loop();
  }

  /** Fetches now if it is waiting for its next poll (a job was just enqueued by this process). */
  wake(): void {
    this.endSleep?.();
  }

  /** Stops fetching; resolves when the batch in hand is settled. */
  stop(): Promise<void> {
    this.stopping = true;
    this.endSleep?.();
    return this.done;
  }

  private async loop(): Promise<void> {
    while (!this.stopping) {
      let full = false;
      try {
        const jobs = await this.boss.fetch<object>(this.queue, { batchSize: this.options.batchSize, includeMetadata: true });
        if (jobs.length > 0) await this.settle(jobs);
        full = jobs.length === this.options.batchSize;
      } catch (error) {
        if (!this.stopping) this.options.onError(error);
      }
      if (!full && !this.stopping) await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.options.pollingIntervalMs);
        this.endSleep = () => (clearTimeout(timer), resolve());
      });
    }
  }

  private async settle(jobs: FetchedJob[]): Promise<void> {
    const beat = () => this.heartbeat(jobs).catch((error) => this.options.onError(error));
    await beat();
    const timer = setInterval(beat, (this.options.heartbeatSeconds * 1000) / 2);
    const completed: string[] = [];
    try {
      if (this.options.handleBatch && jobs.length > 1 && (await this.ranAsBatch(jobs))) {
        completed.push(...jobs.map((job) => job.id));
        return;
      }
      for (const job of jobs) {
        try {
          await this.options.handle(job);
          completed.push(job.id);
        } catch (error) {
          this.options.onJobFailed(job, error);
          await this.boss.fail(this.queue, job.id, { message: error instanceof Error ? error.message : String(error) });
          await this.capRetryDelay(job.id);
        }
      }
    } finally {
      clearInterval(timer);
      if (completed.length > 0) await this.boss.complete(this.queue, completed);
    }
  }

  /** False when the batch handler threw: its jobs then run one by one, so one poisoned job cannot hold back the rest. */
  private async ranAsBatch(jobs: FetchedJob[]): Promise<boolean> {
    try {
      await this.options.handleBatch!(jobs);
      return true;
    } catch (error) {
      this.options.onError(error);
      return false;
    }
  }

  /**
   * pg-boss 10 fails an active job once `started_on + expire_in` has passed. Keeping `expire_in` at
   * the time run so far plus the heartbeat (never beyond the queue's expiry, as a retry inherits the column) makes a job whose
   * process died run again within the heartbeat, however long a live job may take.
   */
  private async heartbeat(jobs: FetchedJob[]): Promise<void> {
    await this.boss.getDb().executeSql(
      `UPDATE ${this.options.schema}.job j
       SET expire_in = least(make_interval(secs => $4), now() - j.started_on + make_interval(secs => $3))
       WHERE j.name = $1 AND j.id = ANY($2::uuid[]) AND j.state = 'active'`,
      [this.queue, jobs.map((j) => j.id), this.options.heartbeatSeconds, this.options.expireInSeconds],
    );
  }

  private async capRetryDelay(id: string): Promise<void> {
    if (this.options.retryDelayMaxSeconds === undefined) return;
    await this.boss.getDb().executeSql(
      `UPDATE ${this.options.schema}.job SET start_after = least(start_after, now() + make_interval(secs => $3))
       WHERE name = $1 AND id = $2 AND state = 'retry'`,
      [this.queue, id, this.options.retryDelayMaxSeconds],
    );
  }
}
