import { Injectable } from '@nestjs/common';
import { AccessTokenPayload, AuthUser } from './auth-user';
import { SessionValidator } from './session-validator';
import { TokenService } from './token.service';

export interface TokenSocketSession {
  userId: string;
  expiresAt: number;
  user: AuthUser;
  claims: AccessTokenPayload;
}

/** Sockets authenticate with the same access token and session checks as HTTP requests (the gateway's SocketAuthenticator). */
@Injectable()
export class TokenSocketAuthenticator {
  constructor(
    private readonly tokens: TokenService,
    private readonly sessions: SessionValidator,
  ) {}

  async authenticate(token: unknown): Promise<TokenSocketSession | null> {
    const verified = await this.tokens.verify(token);
    return verified ? { userId: verified.user.id, expiresAt: verified.claims.exp * 1000, ...verified } : null;
  }

  stillValid(sessions: readonly TokenSocketSession[]): Promise<boolean[]> {
    return this.sessions.stillValid(sessions.map(({ claims, user }) => ({ claims, user })));
  }
}
