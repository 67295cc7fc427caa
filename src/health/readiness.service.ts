import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { migrations } from '../database/migrations';
import { JobsService } from '../jobs/jobs.service';

export type ReadinessCheck = 'database' | 'migrations' | 'jobs';

export interface Readiness {
  /** The first check that failed and why; undefined when ready. */
  failed?: { check: ReadinessCheck; reason: string };
}

/** The names this build expects in TypeORM's table, as the migrations declare them. */
const EXPECTED = migrations.map((M) => new M().name ?? M.name);

/** What /health/ready checks, in order: each one needs the one before it. */
@Injectable()
export class ReadinessService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly jobs: JobsService,
  ) {}

  async check(): Promise<Readiness> {
    let applied: Set<string>;
    try {
      const table = this.db.options.migrationsTableName ?? 'migrations';
      const rows: Array<{ name: string }> = await this.db.query(`SELECT name FROM "${table}"`);
      applied = new Set(rows.map((r) => r.name));
    } catch {
      return { failed: { check: 'database', reason: 'the database is not reachable' } };
    }
    const pending = EXPECTED.filter((name) => !applied.has(name));
    if (pending.length > 0) {
      return { failed: { check: 'migrations', reason: `${pending.length} migration(s) pending: ${pending.join(', ')}` } };
    }
    if (!this.jobs.isReady()) return { failed: { check: 'jobs', reason: 'the job workers are not started' } };
    return {};
  }
}
