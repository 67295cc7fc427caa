import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { isUuid } from '../common/uuid';
import { AccessTokenPayload, AuthUser } from './auth-user';

@Injectable()
export class TokenService {
  constructor(private readonly jwt: JwtService) {}

  sign(user: AuthUser): string {
    const payload: AccessTokenPayload = { sub: user.id, role: user.role };
    return this.jwt.sign(payload);
  }

  /** Verifies a token (e.g. from a socket handshake); undefined when it is missing, bad or expired. */
  verify(token: unknown): AuthUser | undefined {
    if (typeof token !== 'string' || token.length === 0 || token.length > 4096) return undefined;
    try {
      const payload = this.jwt.verify<AccessTokenPayload>(token);
      return isUuid(payload.sub) ? { id: payload.sub, role: payload.role } : undefined;
    } catch {
      return undefined;
    }
  }
}
