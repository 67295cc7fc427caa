import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiErrors } from '../openapi/api-errors.decorator';
import { RateLimitPolicy } from './rate-limit-policies';

export const RATE_LIMIT_KEY = 'rate-limit-policy';

/** Limits calls per client IP under the named policy; the global RateLimitGuard enforces it (429, documented). */
export const RateLimit = (policy: RateLimitPolicy) =>
  applyDecorators(SetMetadata(RATE_LIMIT_KEY, policy), ApiErrors({ 429: 'RATE_LIMITED: too many calls from this client' }));
