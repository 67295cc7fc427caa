import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { CommonErrorCode, CommonException } from '../common/errors/common.exception';
import { clientSignals } from '../common/http/client-signals';
import { RATE_LIMIT_KEY } from './rate-limit.decorator';
import { RateLimitPolicy } from './rate-limit-policies';
import { RateLimitService } from './rate-limit.service';

@Injectable()
export class RateLimitGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly limits: RateLimitService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const policy = this.reflector.get<RateLimitPolicy | undefined>(RATE_LIMIT_KEY, context.getHandler());
    if (!policy) return true;
    const req = context.switchToHttp().getRequest<Request>();
    const verdict = await this.limits.consume(policy, clientSignals(req).ip ?? 'unknown');
    if (verdict.allowed) return true;
    throw new CommonException(CommonErrorCode.RATE_LIMITED, 'Too many requests; try again later', {
      'Retry-After': String(verdict.retryAfterSeconds),
    });
  }
}
