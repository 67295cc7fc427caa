import { Inject, Injectable } from '@nestjs/common';
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';

const PREFIX = 'whsec_';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * Endpoint secrets, encrypted at rest (AES-256-GCM) because they must still sign: the key is
 * HKDF-derived from WEBHOOK_SECRET_KEY, else JWT_SECRET, so a database dump alone reveals none.
 * Changing that variable makes the stored secrets unreadable (deliveries fail until re-created).
 */
@Injectable()
export class WebhookSecrets {
  private readonly key: Buffer;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.key = Buffer.from(hkdfSync('sha256', config.webhooks.secretKey, 'referral-points', 'webhook-endpoint-secrets/aes-256-gcm/v1', 32));
  }

  /** A new Standard Webhooks secret: `whsec_` and base64 of 32 random bytes. */
  generate(): string {
    return PREFIX + randomBytes(32).toString('base64');
  }

  encrypt(secret: string): Buffer {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]);
  }

  decrypt(stored: Buffer): string {
    const decipher = createDecipheriv('aes-256-gcm', this.key, stored.subarray(0, IV_BYTES));
    decipher.setAuthTag(stored.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    return Buffer.concat([decipher.update(stored.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
  }
}

/** The key bytes of a `whsec_` secret: what its base64 part decodes to. */
export function signingKey(secret: string): Buffer {
  return Buffer.from(secret.startsWith(PREFIX) ? secret.slice(PREFIX.length) : secret, 'base64');
}
