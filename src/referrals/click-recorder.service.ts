import { BeforeApplicationShutdown, Inject, Injectable, Logger } from '@nestjs/common';
import { createHmac } from 'node:crypto';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { ReferralClick, ReferralsRepository } from './referrals.repository';

const FLUSH_AFTER_MS = 200;
const FLUSH_AT = 500;
/** Beyond this (database down), new clicks are dropped rather than growing memory without bound. */
const MAX_BUFFERED = 50_000;

/**
 * Records short-link clicks off the request path: the redirect is answered first, and
 * clicks are written in batches (one multi-row INSERT every ~200 ms or 500 clicks).
 */
@Injectable()
export class ClickRecorderService implements BeforeApplicationShutdown {
  private readonly logger = new Logger(ClickRecorderService.name);
  private readonly ipKey: Buffer;
  private buffer: ReferralClick[] = [];
  private timer?: NodeJS.Timeout;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly repository: ReferralsRepository,
  ) {
    // A key of its own, derived from the server secret, so click hashes cannot be compared across deployments.
    this.ipKey = createHmac('sha256', config.jwtSecret).update('referral-click-ip').digest();
  }

  get enabled(): boolean {
    return this.config.clickRecording;
  }

  record(click: { referrerId: string; code: string; ip: string | null; deviceId: string | null }): void {
    if (!this.enabled) return;
    if (this.buffer.length >= MAX_BUFFERED) return;
    this.buffer.push({
      referrerId: click.referrerId,
      code: click.code,
      ipHash: click.ip ? this.hashIp(click.ip) : null,
      deviceId: click.deviceId,
      at: new Date(),
    });
    if (this.buffer.length >= FLUSH_AT) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), FLUSH_AFTER_MS).unref();
  }

  hashIp(ip: string): string {
    return createHmac('sha256', this.ipKey).update(ip).digest('hex');
  }

  /** Writes everything buffered so far; resolves when it is in the database. */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.flushing = this.flushing.then(() => this.writeBuffered());
    return this.flushing;
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.flush();
  }

  private async writeBuffered(): Promise<void> {
    while (this.buffer.length > 0) {
      const batch = this.buffer.splice(0, FLUSH_AT);
      try {
        await this.repository.insertClicks(batch);
      } catch (error) {
        this.logger.warn({ err: error, dropped: batch.length }, 'could not record referral clicks');
      }
    }
  }
}
