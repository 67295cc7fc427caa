import { SetMetadata } from '@nestjs/common';
import { RateLimitPolicy } from './rate-limit-policies';

export const RATE_LIMIT_KEY = 'rate-limit-policy';

/** Limits calls per client IP under the named policy; the global RateLimitGuard enforces it. */
export const RateLimit = (policy: RateLimitPolicy) => SetMetadata(RATE_LIMIT_KEY, policy);
