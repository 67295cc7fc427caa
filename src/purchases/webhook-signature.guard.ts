import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { PurchasesErrorCode, PurchasesException } from './purchases.exception';

const SIGNATURE = /^sha256=([0-9a-f]{64})$/i;

/**
 * `X-Signature: sha256=<hex HMAC-SHA256 of the raw body>`, checked before the body is validated
 * so an unsigned caller learns nothing about the payload rules.
 */
@Injectable()
export class WebhookSignatureGuard implements CanActivate {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  canActivate(context: ExecutionContext): boolean {
    const secret = this.config.purchaseWebhookSecret;
    if (!secret) {
      throw new PurchasesException(PurchasesErrorCode.WEBHOOKS_DISABLED, 'Purchase webhooks are disabled: PURCHASE_WEBHOOK_SECRET is not set', {
        'Retry-After': '3600',
      });
    }
    const req = context.switchToHttp().getRequest<Request & { rawBody?: Buffer }>();
    const header = req.headers['x-signature'];
    const match = typeof header === 'string' ? SIGNATURE.exec(header.trim()) : null;
    if (!match || !verify(secret, req.rawBody ?? Buffer.alloc(0), match[1])) {
      throw new PurchasesException(PurchasesErrorCode.INVALID_SIGNATURE, 'X-Signature is missing or does not match the body');
    }
    return true;
  }
}

export function signWebhookBody(secret: string, body: Buffer | string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

function verify(secret: string, body: Buffer, hex: string): boolean {
  const expected = createHmac('sha256', secret).update(body).digest();
  const given = Buffer.from(hex, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
