import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ALL_EVENTS, WebhookEventInput } from './webhook-events';

/** How stale another instance's view of the endpoints may be. */
const REFRESH_MS = 1_000;

/**
 * Which event types some enabled endpoint subscribes to, refreshed every second (and at once on
 * this instance when an admin changes an endpoint). The outbox keeps only those, so a program
 * with no endpoint pays nothing on its award path. Until the first read, and while reads fail,
 * everything is kept: an outage never drops an event a receiver wants.
 */
@Injectable()
export class WebhookSubscriptions implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(WebhookSubscriptions.name);
  private types: Set<string> | null = null;
  private timer?: NodeJS.Timeout;

  constructor(private readonly dataSource: DataSource) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.refresh();
    this.timer = setInterval(() => void this.refresh(), REFRESH_MS);
    this.timer.unref();
  }

  beforeApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  wanted(events: readonly WebhookEventInput[]): WebhookEventInput[] {
    const types = this.types;
    if (!types) return [...events];
    if (types.has(ALL_EVENTS)) return [...events];
    return events.filter((e) => types.has(e.type));
  }

  async refresh(): Promise<void> {
    try {
      const [row] = await this.dataSource.query(
        `SELECT coalesce(array_agg(DISTINCT t), '{}') AS types FROM webhook_endpoints, unnest(events) AS t WHERE enabled`,
      );
      this.types = new Set(row.types as string[]);
    } catch (error) {
      if (this.types) this.logger.warn({ err: error }, 'could not refresh webhook subscriptions; keeping every event until it works');
      this.types = null;
    }
  }
}
