import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { ClientSignals } from '../../common/http/client-signals';
import { CommonErrorCode, CommonException } from '../../common/errors/common.exception';
import { RateLimitPolicy } from '../../rate-limit/rate-limit-policies';
import { RateLimitService } from '../../rate-limit/rate-limit.service';

export interface LoginAttempt {
  policy: RateLimitPolicy;
  key: string;
  clients: string[];
}

/**
 * Password guesses per account, beside the per-IP limit (which a /64 of IPv6 makes endless).
 * Clients the account has never logged in from share one small allowance per account, all IPs
 * together: that caps guessing at 10 per 15 minutes whatever the attacker's addresses. A
 * client (IP or X-Device-Id) that logged in to the account in the last 30 days has its own
 * allowance instead, so an attacker who exhausts the shared one locks out only strangers,
 * never the owner on a device or network they used before, and a stranger waits 15 minutes at
 * most. A point is taken before the password is checked (parallel guesses cannot overtake the
 * count) and given back when it was right. Nothing here depends on whether the account exists.
 */
@Injectable()
export class LoginThrottle {
  constructor(private readonly limits: RateLimitService) {}

  async begin(email: string, signals: ClientSignals): Promise<LoginAttempt> {
    const account = createHash('sha256').update(`login:${email}`).digest('hex');
    const clients = [signals.deviceId && `${account}:device:${signals.deviceId}`, signals.ip && `${account}:ip:${signals.ip}`].filter(
      (c): c is string => !!c,
    );
    const known = await this.limits.firstKnownLoginClient(clients);
    const attempt: LoginAttempt = known
      ? { policy: 'login-account-client', key: known, clients }
      : { policy: 'login-account', key: account, clients };
    const verdict = await this.limits.consume(attempt.policy, attempt.key);
    if (!verdict.allowed) {
      throw new CommonException(CommonErrorCode.RATE_LIMITED, 'Too many failed log-ins for this account; try again later', {
        'Retry-After': String(verdict.retryAfterSeconds),
      });
    }
    return attempt;
  }

  async succeeded(attempt: LoginAttempt): Promise<void> {
    await Promise.all([this.limits.refund(attempt.policy, attempt.key), this.limits.markKnownLoginClients(attempt.clients)]);
  }
}
