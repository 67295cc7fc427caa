import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { isUuid } from '../common/uuid';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { AccessTokenPayload, AuthUser } from './auth-user';
import { jwtKey } from './jwt-key';

@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      secretOrKey: jwtKey(config),
      algorithms: ['HS256'],
      ignoreExpiration: false,
    });
  }

  /** False (401) for a signed token whose subject is not a user id: it must never reach SQL. */
  validate(payload: AccessTokenPayload): AuthUser | false {
    if (!isUuid(payload.sub)) return false;
    return { id: payload.sub, role: payload.role };
  }
}
