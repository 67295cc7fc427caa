import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { isUniqueViolation } from '../../database/unique-violation';
import { ClientSignals } from '../../common/http/client-signals';
import { MailService } from '../../mail/mail.service';
import { UnitOfWork } from '../../database/unit-of-work';
import { ReferralsService } from '../../referrals/referrals.service';
import { UsersService } from '../../users/users.service';
import { AuthErrorCode, AuthException } from '../core/auth.exception';
import { LoginResponseDto, VerifyEmailCodeResponseDto } from './dto/auth-response.dto';
import { LoginDto } from './dto/login.dto';
import { SignUpDto, SignUpResponseDto } from './dto/sign-up.dto';
import { VerifyEmailCodeDto } from './dto/verify-email-code.dto';
import { PasswordHasher } from './password-hasher';
import { PendingSignupsRepository } from './pending-signups.repository';
import { CodeRequestsService } from './code-requests.service';
import { CodeGate, CodeRejection, codeRejectionError } from './code-gate';
import { LoginThrottle } from './login-throttle';
import { normaliseEmail } from './normalise-email';
import { TokenService } from '../core/token.service';
import { CODE_TTL_MINUTES, VerificationCodes } from './verification-codes';

/** Sign-up races are settled by unique constraints, and its work must not run twice (mails). */
const READ_COMMITTED = { isolation: 'READ COMMITTED' } as const;

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
    private readonly uow: UnitOfWork,
    private readonly gate: CodeGate,
    private readonly throttle: LoginThrottle,
    private readonly codeRequests: CodeRequestsService,
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

  /**
   * `cookieCode` is the `ref` cookie, used when the body names no code. A sign-up for an email
   * already pending changes nothing of it: it re-sends a code for the first one, so nobody can
   * replace the password that the mailbox owner's code will activate.
   */
  async signUp(input: SignUpDto, cookieCode: string | undefined, signals: ClientSignals): Promise<SignUpResponseDto> {
    const email = normaliseEmail(input.email);
    if (await this.users.findActiveByEmail(email)) {
      throw new AuthException(AuthErrorCode.EMAIL_TAKEN, 'An account with this email already exists');
    }
    const referralCode = (await this.referralCodeFor(input.referralCode, cookieCode)) ?? null;
    const passwordHash = await this.passwords.hash(input.password);
    const pendingHash = await this.pending.pendingPasswordHash(this.db.manager, email);
    const contests = pendingHash !== undefined && !(await this.passwords.verify(pendingHash, input.password));
    const code = this.codes.generate();
    await this.uow.run(async (tx) => {
      const name = await this.pending.createOrReissue(tx.manager, {
        email,
        name: input.name,
        passwordHash,
        codeHash: this.codes.hash(email, code),
        referralCode,
        signupIp: signals.ip,
        signupDeviceId: signals.deviceId,
        contests,
      });
      await this.mail.enqueueVerificationCode(tx, { to: email, name, code, expiresInMinutes: CODE_TTL_MINUTES });
    }, READ_COMMITTED);
    return { status: 'verification-sent', email };
  }

  /** Always succeeds from the caller's view: whether the email is pending is not revealed, not even by timing. */
  async resendCode(rawEmail: string): Promise<SignUpResponseDto> {
    const email = normaliseEmail(rawEmail);
    await this.codeRequests.request('sign-up', email);
    return { status: 'verification-sent', email };
  }

  async verifyEmailCode(input: VerifyEmailCodeDto, signals: ClientSignals): Promise<VerifyEmailCodeResponseDto> {
    const email = normaliseEmail(input.email);
    let outcome;
    try {
      outcome = await this.uow.run(async (tx) => {
        const manager = tx.manager;
        await this.gate.lock(manager, 'sign-up', email);
        const pending = await this.pending.lockByEmail(manager, email);
        const rejection = await this.gate.judge(manager, { purpose: 'sign-up', email, code: input.code }, pending, () =>
          this.pending.countFailedAttempt(manager, pending!.id),
        );
        if (rejection || !pending) return { rejection: rejection ?? ({ error: AuthErrorCode.INVALID_CODE } as CodeRejection) };
        if (await this.users.findActiveByEmail(email, { manager })) {
          await this.pending.delete(manager, pending.id);
          return { taken: true } as const;
        }
        const ip = pending.signupIp ?? signals.ip;
        const deviceId = pending.signupDeviceId ?? signals.deviceId;
        const user = await this.users.create(manager, {
          email,
          name: pending.name,
          // Contested: nobody can tell whose password is the mailbox owner's, so neither is kept.
          passwordHash: pending.contested ? null : pending.passwordHash,
          googleId: null,
          signupIp: ip,
          signupDeviceId: deviceId,
        });
        const attribution = await this.referrals.attributeSignup({
          tx,
          refereeId: user.id,
          refereeEmail: email,
          refereeName: user.name,
          code: pending.referralCode ?? undefined,
          ip,
          deviceId,
        });
        await this.pending.delete(manager, pending.id);
        return { user, ...attribution };
      }, READ_COMMITTED);
    } catch (error) {
      if (isUniqueViolation(error, 'users_email_key')) throw new AuthException(AuthErrorCode.EMAIL_TAKEN, 'An account with this email already exists');
      throw error;
    }
    if (outcome.rejection) throw codeRejectionError(outcome.rejection);
    if ('taken' in outcome) throw new AuthException(AuthErrorCode.EMAIL_TAKEN, 'An account with this email already exists');
    return {
      accessToken: this.tokens.sign({ id: outcome.user.id, role: outcome.user.role, tokenVersion: outcome.user.tokenVersion }),
      user: this.users.toDto(outcome.user),
      referral: outcome.referral ? { status: outcome.referral.status, reasons: outcome.referral.reasons } : null,
    };
  }

  async login(input: LoginDto, signals: ClientSignals): Promise<LoginResponseDto> {
    const email = normaliseEmail(input.email);
    const attempt = await this.throttle.begin(email, signals);
    const user = await this.users.findActiveByEmail(email, { withPassword: true });
    const valid = user?.passwordHash
      ? await this.passwords.verify(user.passwordHash, input.password)
      : await this.passwords.verifyDummy(input.password);
    if (!user || !valid) throw new AuthException(AuthErrorCode.INVALID_CREDENTIALS, 'The email or password is not correct');
    await this.throttle.succeeded(attempt);
    return { accessToken: this.tokens.sign({ id: user.id, role: user.role, tokenVersion: user.tokenVersion }), user: this.users.toDto(user) };
  }

  async me(userId: string) {
    const user = await this.users.findById(userId);
    if (!user) throw new AuthException(AuthErrorCode.UNAUTHORIZED, 'This account no longer exists');
    return this.users.toDto(user);
  }
}
