import { Injectable, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { JobsService } from '../../jobs/jobs.service';
import { CodeFailuresRepository } from './code-failures.repository';
import { PasswordResetsRepository } from './password-resets.repository';
import { PendingSignupsRepository } from './pending-signups.repository';

export const PENDING_SIGNUPS_CLEANUP_JOB = 'auth-pending-signups-cleanup';

/** Hourly, on one instance: sign-ups never verified do not keep their password hashes forever, nor dead codes and old failures their rows. */
@Injectable()
export class PendingSignupsCleanupService implements OnModuleInit {
  constructor(
    private readonly jobs: JobsService,
    private readonly db: DataSource,
    private readonly pending: PendingSignupsRepository,
    private readonly resets: PasswordResetsRepository,
    private readonly failures: CodeFailuresRepository,
  ) {}

  onModuleInit(): void {
    this.jobs.register<object>({ name: PENDING_SIGNUPS_CLEANUP_JOB, schedule: '17 * * * *', handle: async () => void (await this.run()) });
  }

  /** How many stale pending sign-ups it deleted. */
  async run(): Promise<number> {
    await this.resets.deleteStale(this.db.manager);
    await this.failures.deleteStale(this.db.manager);
    return this.pending.deleteStale(this.db.manager);
  }
}
