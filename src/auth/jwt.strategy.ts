import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { accessTokenClaims } from './access-token-claims';
import { AuthUser } from './auth-user';
import { jwtKey } from './jwt-key';
import { SessionValidator } from './session-validator';

@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly sessions: SessionValidator,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      secretOrKey: jwtKey(config),
      algorithms: ['HS256'],
      ignoreExpiration: false,
    });
  }

  /** False (401) for claims this service never issues and for an account that no longer honours them. */
  async validate(payload: unknown): Promise<AuthUser | false> {
    const claims = accessTokenClaims(payload);
    return (claims && (await this.sessions.validate(claims))) || false;
  }
}
