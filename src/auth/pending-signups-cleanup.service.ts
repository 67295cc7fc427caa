import { Injectable, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { JobsService } from '../jobs/jobs.service';
import { PendingSignupsRepository } from './pending-signups.repository';

export const PENDING_SIGNUPS_CLEANUP_JOB = 'auth-pending-signups-cleanup';

/** Hourly, on one instance: sign-ups never verified do not keep their password hashes forever. */
@Injectable()
export class PendingSignupsCleanupService implements OnModuleInit {
  constructor(
    private readonly jobs: JobsService,
    private readonly db: DataSource,
    private readonly pending: PendingSignupsRepository,
  ) {}

  onModuleInit(): void {
    this.jobs.register<object>({ name: PENDING_SIGNUPS_CLEANUP_JOB, schedule: '17 * * * *', handle: async () => void (await this.run()) });
  }

  run(): Promise<number> {
    return this.pending.deleteStale(this.db.manager);
  }
}
