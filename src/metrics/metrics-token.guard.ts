import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { createHash, timingSafeEqual } from 'node:crypto';
import { CommonErrorCode, CommonException } from '../common/errors/common.exception';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';

/** With METRICS_TOKEN set, the scraper must send it as a bearer token; without it /metrics is open. */
@Injectable()
export class MetricsTokenGuard implements CanActivate {
  private readonly expected?: Buffer;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.expected = config.metricsToken === undefined ? undefined : digest(config.metricsToken);
  }

  canActivate(context: ExecutionContext): boolean {
    if (!this.expected) return true;
    const header = context.switchToHttp().getRequest<Request>().headers.authorization ?? '';
    const match = /^Bearer (\S+)$/i.exec(header);
    // Digests have one length, so the comparison takes the same time whatever was sent.
    if (match && timingSafeEqual(digest(match[1]), this.expected)) return true;
    throw new CommonException(CommonErrorCode.UNAUTHORIZED, 'A valid metrics bearer token is required', {
      'WWW-Authenticate': 'Bearer realm="metrics"',
    });
  }
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
