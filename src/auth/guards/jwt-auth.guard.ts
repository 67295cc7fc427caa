import { Injectable } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import { AuthErrorCode, AuthException } from '../auth.exception';
import { AuthUser } from '../auth-user';

/** Requires a valid bearer token: 401 UNAUTHORIZED otherwise. */
@Injectable()
export class JwtAuthGuard extends AuthGuard('jwt') {
  override handleRequest<T = AuthUser>(error: unknown, user: T | false): T {
    if (error || !user) throw new AuthException(AuthErrorCode.UNAUTHORIZED, 'A valid access token is required');
    return user;
  }
}

/**
 * Reads the bearer token when there is a valid one; anonymous callers pass with no user. For
 * public endpoints only: a token not honoured (expired, revoked, a closed account) reads as anonymous.
 */
@Injectable()
export class OptionalJwtAuthGuard extends AuthGuard('jwt') {
  override handleRequest<T = AuthUser>(_error: unknown, user: T | false): T {
    return (user || undefined) as T;
  }
}
