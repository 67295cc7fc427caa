import { Inject, Injectable } from '@nestjs/common';
import { ClientSignals } from '../../../common/http/client-signals';
import { AppConfig } from '../../../config/app-config';
import { APP_CONFIG } from '../../../config/config.module';
import { Tx, UnitOfWork } from '../../../database/unit-of-work';
import { ReferralsService } from '../../../referrals/referrals.service';
import { UserEntity } from '../../../users/entities/user.entity';
import { UsersService } from '../../../users/users.service';
import { AuthErrorCode, AuthException } from '../../core/auth.exception';
import { isUniqueViolation } from '../../../database/unique-violation';
import { PendingSignupsRepository } from '../pending-signups.repository';
import { TokenService } from '../../core/token.service';
import { GoogleProfile } from './google-profile';

/** Finds or creates the user behind a Google sign-in and returns where to send the browser. */
@Injectable()
export class GoogleSignInService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly uow: UnitOfWork,
    private readonly users: UsersService,
    private readonly referrals: ReferralsService,
    private readonly pending: PendingSignupsRepository,
    private readonly tokens: TokenService,
  ) {}

  /** `refCookie` attributes a NEW user only; an unknown code simply attributes nothing. */
  async signIn(profile: GoogleProfile, refCookie: string | undefined, signals: ClientSignals): Promise<string> {
    const once = () => this.uow.run((tx) => this.findOrCreate(tx, profile, refCookie, signals), { isolation: 'READ COMMITTED' });
    let user: UserEntity;
    try {
      user = await once();
    } catch (error) {
      // Two callbacks for one new Google account raced: the other created it, so this one signs in.
      if (!isUniqueViolation(error)) throw error;
      user = await once();
    }
    const token = this.tokens.sign({ id: user.id, role: user.role, tokenVersion: user.tokenVersion });
    return `${this.config.frontendUrl}/dashboard/account/points#accessToken=${encodeURIComponent(token)}`;
  }

  private async findOrCreate(tx: Tx, profile: GoogleProfile, refCookie: string | undefined, signals: ClientSignals): Promise<UserEntity> {
    const manager = tx.manager;
    const linked = await this.users.findByGoogleId(manager, profile.googleId);
    if (linked?.deletedAt) throw failure('This account has been deleted');
    if (linked) return linked;

    const email = profile.email?.trim().toLowerCase();
    if (!email || email.length > 255) throw failure('Google did not share an email address');
    const existing = await this.users.findActiveByEmail(email, { manager });
    if (existing) {
      // Linking by email is safe only when Google vouches that the address is the user's.
      if (!profile.emailVerified || existing.googleId) throw failure('An account with this email exists: sign in with your password');
      await this.users.linkGoogle(manager, existing.id, profile.googleId);
      return existing;
    }
    if (!profile.emailVerified) throw failure('Google has not verified this email address');

    const user = await this.users.create(manager, {
      email,
      name: displayName(profile.name, email),
      passwordHash: null,
      googleId: profile.googleId,
      signupIp: signals.ip,
      signupDeviceId: signals.deviceId,
    });
    await this.referrals.attributeSignup({
      tx,
      refereeId: user.id,
      refereeEmail: email,
      refereeName: user.name,
      code: refCookie,
      ip: signals.ip,
      deviceId: signals.deviceId,
    });
    await this.pending.deleteByEmail(manager, email);
    return user;
  }
}

function failure(message: string) {
  return new AuthException(AuthErrorCode.UNAUTHORIZED, `Google sign-in failed: ${message}`);
}

function displayName(name: string | undefined, email: string): string {
  const trimmed = name?.trim().slice(0, 100);
  return trimmed || email.slice(0, email.indexOf('@')).slice(0, 100) || 'Google user';
}
