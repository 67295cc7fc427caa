import { ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import { CommonErrorCode, CommonException } from '../../../common/errors/common.exception';
import { AppConfig } from '../../../config/app-config';
import { APP_CONFIG } from '../../../config/config.module';
import { AuthErrorCode, AuthException } from '../../core/auth.exception';

/** Runs the Google OAuth dance; 404 when Google sign-in is not configured. */
@Injectable()
export class GoogleAuthGuard extends AuthGuard('google') {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    super();
  }

  override canActivate(context: ExecutionContext) {
    if (!this.config.google) {
      throw new CommonException(CommonErrorCode.NOT_FOUND, 'Google sign-in is not enabled on this server');
    }
    return super.canActivate(context);
  }

  override handleRequest<T>(error: unknown, user: T | false): T {
    // Denied consent, a forged state or a failed token exchange: the browser starts again.
    if (error || !user) throw new AuthException(AuthErrorCode.UNAUTHORIZED, 'Google sign-in failed: start again');
    return user;
  }
}
