import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { NoPayload, OnJob } from '../../jobs/job-catalogue';
import { CodeFailuresRepository } from './code-failures.repository';
import { PasswordResetsRepository } from './password-resets.repository';
import { PendingSignupsRepository } from './pending-signups.repository';

export const PENDING_SIGNUPS_CLEANUP_JOB = 'auth-pending-signups-cleanup';

declare module '../../jobs/job-catalogue' {
  interface JobPayloads {
    [PENDING_SIGNUPS_CLEANUP_JOB]: NoPayload;
  }
}

/** Hourly, on one instance: sign-ups never verified do not keep their password hashes forever, nor dead codes and old failures their rows. */
@Injectable()
export class PendingSignupsCleanupService {
  constructor(
    private readonly db: DataSource,
    private readonly pending: PendingSignupsRepository,
    private readonly resets: PasswordResetsRepository,
    private readonly failures: CodeFailuresRepository,
  ) {}

  /** How many stale pending sign-ups it deleted. */
  @OnJob(PENDING_SIGNUPS_CLEANUP_JOB, { schedule: '17 * * * *' })
  async run(): Promise<number> {
    await this.resets.deleteStale(this.db.manager);
    await this.failures.deleteStale(this.db.manager);
    return this.pending.deleteStale(this.db.manager);
  }
}
