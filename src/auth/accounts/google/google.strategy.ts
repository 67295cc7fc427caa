import { PassportStrategy } from '@nestjs/passport';
import { Profile, Strategy } from 'passport-google-oauth20';
import { AppConfig } from '../../../config/app-config';
import { CookieStateStore } from './cookie-state.store';
import { GoogleProfile } from './google-profile';

export const GOOGLE_CALLBACK_PATH = '/api/auth/google/callback';

/** Built only when Google is configured (see auth.module.ts). */
export class GoogleStrategy extends PassportStrategy(Strategy, 'google') {
  constructor(google: NonNullable<AppConfig['google']>) {
    super({
      clientID: google.clientId,
      clientSecret: google.clientSecret,
      // Relative: resolved against the request's own origin; passport reads X-Forwarded-* only when Express trusts a proxy (TRUST_PROXY).
      callbackURL: GOOGLE_CALLBACK_PATH,
      authorizationURL: google.authUrl,
      tokenURL: google.tokenUrl,
      userProfileURL: google.userInfoUrl,
      scope: ['openid', 'email', 'profile'],
      store: new CookieStateStore() as never,
    });
  }

  validate(_accessToken: string, _refreshToken: string, profile: Profile): GoogleProfile {
    const json = (profile._json ?? {}) as { email?: unknown; email_verified?: unknown };
    return {
      googleId: profile.id,
      email: typeof json.email === 'string' ? json.email : profile.emails?.[0]?.value,
      emailVerified: json.email_verified === true || json.email_verified === 'true',
      name: profile.displayName,
    };
  }
}
