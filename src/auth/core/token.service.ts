import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { accessTokenClaims } from './access-token-claims';
import { AccessTokenPayload, AuthUser } from './auth-user';
import { SessionValidator } from './session-validator';

export interface TokenSubject extends AuthUser {
  /** The account's `token_version`; a token signed with another one is refused. */
  tokenVersion?: number;
}

@Injectable()
export class TokenService {
  constructor(
    private readonly jwt: JwtService,
    private readonly sessions: SessionValidator,
  ) {}

  sign(user: TokenSubject): string {
    const payload: Omit<AccessTokenPayload, 'exp'> = { sub: user.id, role: user.role, ver: user.tokenVersion ?? 0 };
    return this.jwt.sign(payload);
  }

  /** The claims of a well-signed, unexpired token of this service (e.g. a socket handshake's); no account check. */
  claims(token: unknown): AccessTokenPayload | undefined {
    if (typeof token !== 'string' || token.length === 0 || token.length > 4096) return undefined;
    try {
      return accessTokenClaims(this.jwt.verify<object>(token));
    } catch {
      return undefined;
    }
  }

  /** The caller a token stands for while its account still honours it; undefined otherwise. */
  async verify(token: unknown): Promise<{ user: AuthUser; claims: AccessTokenPayload } | undefined> {
    const claims = this.claims(token);
    const user = claims && (await this.sessions.validate(claims));
    return user && claims ? { user, claims } : undefined;
  }
}
