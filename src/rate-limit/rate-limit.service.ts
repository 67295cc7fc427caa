import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import Redis from 'ioredis';
import { RateLimiterAbstract, RateLimiterPostgres, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { JobsService } from '../jobs/jobs.service';
import { RATE_LIMIT_POLICIES, RateLimitPolicy } from './rate-limit-policies';

export type RateLimitVerdict = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/** Counters shared by every instance: in Redis when REDIS_URL is set, else in PostgreSQL. */
@Injectable()
export class RateLimitService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(RateLimitService.name);
  private readonly limiters = new Map<RateLimitPolicy, RateLimiterAbstract>();
  private readonly redis?: Redis;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectDataSource() private readonly db: DataSource,
    private readonly jobs: JobsService,
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

  onModuleInit(): void {
    // Every client IP leaves a counter row behind; expired ones are cleared hourly on one instance.
    this.jobs.register<object>({ name: 'rate-limits-cleanup', schedule: '23 * * * *', handle: async () => void (await this.deleteExpired()) });
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
    let limiter = this.limiters.get(policy);
    if (limiter) return limiter;
    const { points, durationSeconds } = RATE_LIMIT_POLICIES[policy];
    const options = {
      keyPrefix: `rl:${policy}`,
      points: Math.max(1, Math.round(points * this.config.rateLimitScale)),
      duration: durationSeconds,
    };
    limiter = this.redis
      ? new RateLimiterRedis({ ...options, storeClient: this.redis, useRedisPackage: false })
      : new RateLimiterPostgres({
          ...options,
          storeClient: (this.db.driver as unknown as { master: unknown }).master,
          tableName: 'rate_limits',
          tableCreated: true,
          clearExpiredByTimeout: false,
        });
    this.limiters.set(policy, limiter);
    return limiter;
  }
}
