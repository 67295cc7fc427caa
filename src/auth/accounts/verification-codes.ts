import { Inject, Injectable } from '@nestjs/common';
import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';
import { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';

export const CODE_TTL_MINUTES = 15;
export const MAX_CODE_ATTEMPTS = 5;

/** Six-digit email codes, stored only as an HMAC keyed with the server secret and bound to the email. */
@Injectable()
export class VerificationCodes {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  generate(): string {
    return randomInt(0, 1_000_000).toString().padStart(6, '0');
  }

  hash(email: string, code: string): string {
    return createHmac('sha256', this.config.jwtSecret).update(`email-code:${email}:${code}`).digest('hex');
  }

  matches(email: string, code: string, storedHash: string): boolean {
    const given = Buffer.from(this.hash(email, code.trim()), 'hex');
    const stored = Buffer.from(storedHash, 'hex');
    return given.length === stored.length && timingSafeEqual(given, stored);
  }
}
