import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { isUniqueViolation } from '../database/unique-violation';
import { ClientSignals } from '../common/http/client-signals';
import { MailService } from '../mail/mail.service';
import { RealtimeService } from '../notifications/realtime.service';
import { ReferralsService } from '../referrals/referrals.service';
import { UsersService } from '../users/users.service';
import { AuthErrorCode, AuthException } from './auth.exception';
import { LoginResponseDto, VerifyEmailCodeResponseDto } from './dto/auth-response.dto';
import { LoginDto } from './dto/login.dto';
import { SignUpDto, SignUpResponseDto } from './dto/sign-up.dto';
import { VerifyEmailCodeDto } from './dto/verify-email-code.dto';
import { PasswordHasher } from './password-hasher';
import { PendingSignupsRepository } from './pending-signups.repository';
import { TokenService } from './token.service';
import { CODE_TTL_MINUTES, MAX_CODE_ATTEMPTS, VerificationCodes } from './verification-codes';

const normaliseEmail = (email: string) => email.trim().toLowerCase();

/** Email sign-up with a mailed code, verification, and password login. */
@Injectable()
export class AuthService {
  constructor(
    private readonly db: DataSource,
    private readonly users: UsersService,
    private readonly referrals: ReferralsService,
    private readonly pending: PendingSignupsRepository,
    private readonly codes: VerificationCodes,
    private readonly passwords: PasswordHasher,
    private readonly tokens: TokenService,
    private readonly mail: MailService,
    private readonly realtime: RealtimeService,
  ) {}

  /**
   * A code typed into the form must exist (400 INVALID_REFERRAL_CODE). A stale `ref` cookie
   * (the referrer rotated their code since the click) is ignored instead: the visitor cannot
   * clear an HttpOnly cookie, and it must not block their sign-up for a week.
   */
  private async referralCodeFor(bodyCode: string | undefined, cookieCode: string | undefined): Promise<string | undefined> {
    if (bodyCode === undefined || bodyCode.trim() === '') return this.referrals.resolveCode(cookieCode);
    const code = await this.referrals.resolveCode(bodyCode);
    if (!code) throw new AuthException(AuthErrorCode.INVALID_REFERRAL_CODE, 'This referral code does not exist');
    return code;
  }

  /** `cookieCode` is the `ref` cookie, used when the body names no code. */
  async signUp(input: SignUpDto, cookieCode: string | undefined, signals: ClientSignals): Promise<SignUpResponseDto> {
    const email = normaliseEmail(input.email);
    if (await this.users.findActiveByEmail(email)) {
      throw new AuthException(AuthErrorCode.EMAIL_TAKEN, 'An account with this email already exists');
    }
    const referralCode = (await this.referralCodeFor(input.referralCode, cookieCode)) ?? null;
    const passwordHash = await this.passwords.hash(input.password);
    const code = this.codes.generate();
    await this.db.transaction(async (manager) => {
      await this.pending.upsert(manager, {
        email,
        name: input.name,
        passwordHash,
        codeHash: this.codes.hash(email, code),
        referralCode,
        signupIp: signals.ip,
        signupDeviceId: signals.deviceId,
      });
      await this.mail.enqueueVerificationCode(manager, { to: email, name: input.name, code, expiresInMinutes: CODE_TTL_MINUTES });
    });
    return { status: 'verification-sent', email };
  }

  /** Always succeeds from the caller's view: whether the email is pending is not revealed. */
  async resendCode(rawEmail: string): Promise<SignUpResponseDto> {
    const email = normaliseEmail(rawEmail);
    const code = this.codes.generate();
    await this.db.transaction(async (manager) => {
      const name = await this.pending.replaceCode(manager, email, this.codes.hash(email, code));
      if (name !== undefined) {
        await this.mail.enqueueVerificationCode(manager, { to: email, name, code, expiresInMinutes: CODE_TTL_MINUTES });
      }
    });
    return { status: 'verification-sent', email };
  }

  async verifyEmailCode(input: VerifyEmailCodeDto, signals: ClientSignals): Promise<VerifyEmailCodeResponseDto> {
    const email = normaliseEmail(input.email);
    let outcome;
    try {
      outcome = await this.db.transaction(async (manager) => {
        const pending = await this.pending.lockByEmail(manager, email);
        if (!pending) return { error: AuthErrorCode.INVALID_CODE } as const;
        if (pending.attempts >= MAX_CODE_ATTEMPTS) return { error: AuthErrorCode.TOO_MANY_ATTEMPTS } as const;
        if (pending.expired) return { error: AuthErrorCode.CODE_EXPIRED } as const;
        if (!this.codes.matches(email, input.code, pending.codeHash)) {
          await this.pending.countFailedAttempt(manager, pending.id);
          return { error: AuthErrorCode.INVALID_CODE } as const;
        }
        if (await this.users.findActiveByEmail(email, { manager })) {
          await this.pending.delete(manager, pending.id);
          return { error: AuthErrorCode.EMAIL_TAKEN } as const;
        }
        const ip = pending.signupIp ?? signals.ip;
        const deviceId = pending.signupDeviceId ?? signals.deviceId;
        const user = await this.users.create(manager, {
          email,
          name: pending.name,
          passwordHash: pending.passwordHash,
          googleId: null,
          signupIp: ip,
          signupDeviceId: deviceId,
        });
        const attribution = await this.referrals.attributeSignup(manager, {
          refereeId: user.id,
          refereeEmail: email,
          refereeName: user.name,
          code: pending.referralCode ?? undefined,
          ip,
          deviceId,
        });
        await this.pending.delete(manager, pending.id);
        return { user, ...attribution };
      });
    } catch (error) {
      if (isUniqueViolation(error, 'users_email_key')) throw new AuthException(AuthErrorCode.EMAIL_TAKEN, 'An account with this email already exists');
      throw error;
    }
    if (outcome.error) throw verifyError(outcome.error);
    this.realtime.publish(outcome.events);
    return {
      accessToken: this.tokens.sign({ id: outcome.user.id, role: outcome.user.role }),
      user: this.users.toDto(outcome.user),
      referral: outcome.referral ? { status: outcome.referral.status, reasons: outcome.referral.reasons } : null,
    };
  }

  async login(input: LoginDto): Promise<LoginResponseDto> {
    const user = await this.users.findActiveByEmail(normaliseEmail(input.email), { withPassword: true });
    const valid = user?.passwordHash
      ? await this.passwords.verify(user.passwordHash, input.password)
      : await this.passwords.verifyDummy(input.password);
    if (!user || !valid) throw new AuthException(AuthErrorCode.INVALID_CREDENTIALS, 'The email or password is not correct');
    return { accessToken: this.tokens.sign({ id: user.id, role: user.role }), user: this.users.toDto(user) };
  }

  async me(userId: string) {
    const user = await this.users.findById(userId);
    if (!user) throw new AuthException(AuthErrorCode.UNAUTHORIZED, 'This account no longer exists');
    return this.users.toDto(user);
  }
}

function verifyError(code: AuthErrorCode): InstanceType<typeof AuthException> {
  switch (code) {
    case AuthErrorCode.TOO_MANY_ATTEMPTS:
      return new AuthException(code, 'Too many wrong codes: request a new code');
    case AuthErrorCode.CODE_EXPIRED:
      return new AuthException(code, 'This code has expired: request a new code');
    case AuthErrorCode.EMAIL_TAKEN:
      return new AuthException(code, 'An account with this email already exists');
    default:
      return new AuthException(AuthErrorCode.INVALID_CODE, 'The code is not correct');
  }
}
