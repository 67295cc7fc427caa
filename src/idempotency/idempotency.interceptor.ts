import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { Request, Response } from 'express';
import { from, Observable, of } from 'rxjs';
import { catchError, mergeMap } from 'rxjs/operators';
import { AuthUser } from '../auth/core/auth-user';
import { AppException } from '../common/errors/app.exception';
import { IdempotencyService, IdempotentRequest } from './idempotency.service';

export const IDEMPOTENCY_HEADER = 'idempotency-key';

/**
 * Applies Idempotency-Key to a route (use after the auth guard: keys are scoped per caller).
 * A stored 2xx is replayed as is; a stored 4xx is thrown again as the same error. Failures that
 * are not the client's (5xx) are not stored: the key is released and the request may be retried.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(private readonly idempotency: IdempotencyService) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    const req = http.getRequest<Request & { user?: AuthUser }>();
    const res = http.getResponse<Response>();
    const header = req.headers[IDEMPOTENCY_HEADER];
    if (header === undefined) return next.handle();
    const request: IdempotentRequest = {
      caller: req.user ? `user:${req.user.id}` : 'anonymous',
      key: this.idempotency.validateKey(header),
      method: req.method,
      path: req.originalUrl,
      body: req.body,
    };
    return from(this.idempotency.claim(request)).pipe(
      mergeMap((claim) => {
        if (claim.kind === 'replay') return of(this.replay(res, claim.status, claim.body));
        return next.handle().pipe(
          mergeMap(async (body) => {
            await this.idempotency.complete(request, res.statusCode, body);
            return body;
          }),
          catchError(async (error: unknown) => {
            if (error instanceof AppException && error.status < 500) {
              await this.idempotency.complete(request, error.status, { statusCode: error.status, code: error.code, message: error.details ?? error.message });
            } else {
              await this.idempotency.release(request);
            }
            throw error;
          }),
        );
      }),
    );
  }

  private replay(res: Response, status: number, body: unknown): unknown {
    if (status >= 400) {
      const e = body as { code: string; message: string | string[] };
      const error = new AppException(e.code, status, Array.isArray(e.message) ? e.message.join('; ') : e.message);
      if (Array.isArray(e.message)) error.details = e.message;
      throw error;
    }
    res.status(status);
    res.setHeader('Idempotent-Replayed', 'true');
    return body;
  }
}
