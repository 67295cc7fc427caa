import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import Redis from 'ioredis';
import { RateLimiterAbstract, RateLimiterPostgres, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { NoPayload, OnJob } from '../jobs/job-catalogue';
import { KNOWN_LOGIN_CLIENT, RATE_LIMIT_POLICIES, RateLimitPolicy } from './rate-limit-policies';

export type RateLimitVerdict = { allowed: true } | { allowed: false; retryAfterSeconds: number };

const RATE_LIMITS_CLEANUP_JOB = 'rate-limits-cleanup';

declare module '../jobs/job-catalogue' {
  interface JobPayloads {
    [RATE_LIMITS_CLEANUP_JOB]: NoPayload;
  }
}

/** Counters shared by every instance: in Redis when REDIS_URL is set, else in PostgreSQL. */
@Injectable()
export class RateLimitService implements OnModuleDestroy {
  private readonly logger = new Logger(RateLimitService.name);
  private readonly limiters = new Map<string, RateLimiterAbstract>();
  private readonly redis?: Redis;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectDataSource() private readonly db: DataSource,
  ) {
    if (config.redisUrl && config.rateLimitScale > 0) {
      this.redis = new Redis(config.redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1, lazyConnect: false });
      this.redis.on('error', (error) => this.logger.warn({ err: error }, 'rate-limit redis error'));
    }
  }

  async consume(policy: RateLimitPolicy, clientKey: string): Promise<RateLimitVerdict> {
    if (this.config.rateLimitScale === 0) return { allowed: true };
    try {
      await this.limiter(policy).consume(clientKey, 1);
      return { allowed: true };
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) {
        return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)) };
      }
      // A broken counter store must not lock every client out: let the call through, loudly.
      this.logger.warn({ err: rejection, policy }, 'rate-limit store failed; allowing the request');
      return { allowed: true };
    }
  }

  /** Gives back a point consumed for a call that turned out fine (a successful login). */
  async refund(policy: RateLimitPolicy, clientKey: string): Promise<void> {
    if (this.config.rateLimitScale === 0) return;
    await this.limiter(policy)
      .reward(clientKey, 1)
      .catch((error: unknown) => this.logger.warn({ err: error, policy }, 'rate-limit refund failed'));
  }

  /** Remembers `keys` as clients that logged in to their account (30 days). */
  async markKnownLoginClients(keys: string[]): Promise<void> {
    if (this.config.rateLimitScale === 0) return;
    const known = this.knownClients();
    await Promise.all(
      keys.map((key) =>
        known.set(key, 1, KNOWN_LOGIN_CLIENT.durationSeconds).catch((error: unknown) => this.logger.warn({ err: error }, 'rate-limit mark failed')),
      ),
    );
  }

  /** The first of `keys` marked by markKnownLoginClients; undefined when none is (or the store fails). */
  async firstKnownLoginClient(keys: string[]): Promise<string | undefined> {
    if (this.config.rateLimitScale === 0 || keys.length === 0) return undefined;
    const known = this.knownClients();
    const found = await Promise.all(keys.map((key) => known.get(key).catch(() => null)));
    return keys.find((_, i) => (found[i]?.consumedPoints ?? 0) > 0);
  }

  // Every client IP leaves a counter row behind; expired ones are cleared hourly on one instance.
  @OnJob(RATE_LIMITS_CLEANUP_JOB, { schedule: '23 * * * *' })
  async cleanUp(): Promise<void> {
    await this.deleteExpired();
  }

  /** Removes the PostgreSQL counters whose window is over; how many. */
  async deleteExpired(now = Date.now()): Promise<number> {
    const [, count] = await this.db.query(`DELETE FROM rate_limits WHERE expire < $1`, [now]);
    return Number(count ?? 0);
  }

  onModuleDestroy(): void {
    this.redis?.disconnect();
  }

  private limiter(policy: RateLimitPolicy): RateLimiterAbstract {
    const { points, durationSeconds } = RATE_LIMIT_POLICIES[policy];
    return this.store(`rl:${policy}`, Math.max(1, Math.round(points * this.config.rateLimitScale)), durationSeconds);
  }

  private knownClients(): RateLimiterAbstract {
    return this.store(`rl:${KNOWN_LOGIN_CLIENT.keyPrefix}`, 1, KNOWN_LOGIN_CLIENT.durationSeconds);
  }

  private store(keyPrefix: string, points: number, duration: number): RateLimiterAbstract {
    let limiter = this.limiters.get(keyPrefix);
    if (limiter) return limiter;
    const options = { keyPrefix, points, duration };
    limiter = this.redis
      ? new RateLimiterRedis({ ...options, storeClient: this.redis, useRedisPackage: false })
      : new RateLimiterPostgres({
          ...options,
          storeClient: (this.db.driver as unknown as { master: unknown }).master,
          tableName: 'rate_limits',
          tableCreated: true,
          clearExpiredByTimeout: false,
        });
    this.limiters.set(keyPrefix, limiter);
    return limiter;
  }
}
