import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { accessTokenClaims } from './access-token-claims';
import { AccessTokenPayload, AuthUser } from './auth-user';
import { SessionValidator } from './session-validator';

/** Tokens whose signature this instance has checked; past this many the oldest is forgotten. */
const MAX_VERIFIED = 10_000;

export interface TokenSubject extends AuthUser {
  /** The account's `token_version`; a token signed with another one is refused. */
  tokenVersion?: number;
}

@Injectable()
export class TokenService {
  /**
   * The claims of tokens already verified here, by the exact token: a client sends the same one
   * with every request, and its HMAC need not be checked again. Expiry is still checked on each
   * use, as jsonwebtoken does it; the account is checked on each request by SessionValidator.
   */
  private readonly verified = new Map<string, AccessTokenPayload>();

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
    const known = this.verified.get(token);
    if (known) {
      if (Math.floor(Date.now() / 1000) < known.exp) return known;
      this.verified.delete(token);
      return undefined;
    }
    let claims: AccessTokenPayload | undefined;
    try {
      claims = accessTokenClaims(this.jwt.verify<object>(token));
    } catch {
      return undefined;
    }
    if (claims) {
      if (this.verified.size >= MAX_VERIFIED) this.verified.delete(this.verified.keys().next().value as string);
      this.verified.set(token, Object.freeze(claims));
    }
    return claims;
  }

  /** The caller a token stands for while its account still honours it; undefined otherwise. */
  async verify(token: unknown): Promise<{ user: AuthUser; claims: AccessTokenPayload } | undefined> {
    const claims = this.claims(token);
    const user = claims && (await this.sessions.validate(claims));
    return user && claims ? { user, claims } : undefined;
  }
}
