import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { JobsService } from '../jobs/jobs.service';
import { QueueCounts, renderMetrics, scrapeSources } from './metrics';

/** How long queue counts are reused: several scrapers, or a fast one, cost one query per interval. */
const JOB_COUNTS_TTL_MS = 5_000;

/** Plugs the scrape-time sources into the process registry and renders it. */
@Injectable()
export class MetricsService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(MetricsService.name);
  private jobCounts: { at: number; counts: QueueCounts[] } = { at: 0, counts: [] };
  private readonly readJobs = () => this.cachedJobCounts();

  constructor(private readonly jobs: JobsService) {}

  onModuleInit(): void {
    scrapeSources.jobs = this.readJobs;
  }

  onModuleDestroy(): void {
    if (scrapeSources.jobs === this.readJobs) scrapeSources.jobs = undefined;
  }

  render(): Promise<string> {
    return renderMetrics();
  }

  private async cachedJobCounts(): Promise<QueueCounts[]> {
    if (Date.now() - this.jobCounts.at < JOB_COUNTS_TTL_MS) return this.jobCounts.counts;
    try {
      this.jobCounts = { at: Date.now(), counts: await this.jobs.queueCounts() };
    } catch (error) {
      // A scrape during a database outage still answers, with the last counts it had.
      this.logger.warn({ err: error }, 'could not read job queue counts');
    }
    return this.jobCounts.counts;
  }
}
