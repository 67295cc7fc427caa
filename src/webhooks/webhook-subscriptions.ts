import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { WebhookEventInput } from '../common/events/outbound-events';

/** How stale another instance's view of the endpoints may be. */
const REFRESH_MS = 1_000;

/**
 * Whether any endpoint is enabled, refreshed every second (and at once on this instance when an
 * admin changes an endpoint): a program with no endpoint pays nothing on its award path. Until
 * the first read, and while reads fail, everything is kept. Another instance starts recording
 * up to a second after the first endpoint is enabled.
 */
@Injectable()
export class WebhookSubscriptions implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(WebhookSubscriptions.name);
  /** Null until the first read, and while reads fail. */
  private anyEnabled: boolean | null = null;
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

  /**
   * Everything while some endpoint is enabled (the dispatcher decides who gets what, so an endpoint
   * subscribing to a new type misses nothing); nothing while none is.
   */
  wanted(events: readonly WebhookEventInput[]): readonly WebhookEventInput[] {
    return this.anyEnabled === false ? [] : events;
  }

  async refresh(): Promise<void> {
    try {
      const [row] = await this.dataSource.query(`SELECT EXISTS (SELECT 1 FROM webhook_endpoints WHERE enabled) AS any`);
      this.anyEnabled = row.any === true;
    } catch (error) {
      if (this.anyEnabled !== null) this.logger.warn({ err: error }, 'could not refresh webhook subscriptions; keeping every event until it works');
      this.anyEnabled = null;
    }
  }
}
