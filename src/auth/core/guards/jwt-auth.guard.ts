import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { AuthErrorCode, AuthException } from '../auth.exception';
import { AuthUser } from '../auth-user';
import { TokenService } from '../token.service';

const BEARER = /^Bearer\s+(\S+)\s*$/i;

function bearerToken(req: Request): string | undefined {
  const header = req.headers.authorization;
  return typeof header === 'string' ? BEARER.exec(header)?.[1] : undefined;
}

/**
 * The caller a request's bearer token stands for, checked against the account on every request
 * (TokenService.verify: signature, `exp`, a uuid `sub`, then the account's state). The app's
 * own TokenService, not a process-wide passport strategy, so two apps in one process (tests)
 * each check against their own cache.
 */
async function authenticate(tokens: TokenService, context: ExecutionContext): Promise<AuthUser | undefined> {
  const req = context.switchToHttp().getRequest<Request & { user?: AuthUser }>();
  const token = bearerToken(req);
  const verified = token === undefined ? undefined : await tokens.verify(token);
  req.user = verified?.user;
  return verified?.user;
}

/** Requires a valid bearer token: 401 UNAUTHORIZED otherwise. */
@Injectable()
export class JwtAuthGuard implements CanActivate {
  constructor(private readonly tokens: TokenService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (await authenticate(this.tokens, context)) return true;
    throw new AuthException(AuthErrorCode.UNAUTHORIZED, 'A valid access token is required');
  }
}

/**
 * Reads the bearer token when there is a valid one; anonymous callers pass with no user. For
 * public endpoints only: a token not honoured (expired, revoked, a closed account) reads as anonymous.
 */
@Injectable()
export class OptionalJwtAuthGuard implements CanActivate {
  constructor(private readonly tokens: TokenService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    await authenticate(this.tokens, context);
    return true;
  }
}
