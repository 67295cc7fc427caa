import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { RealtimeService } from '../../notifications/realtime.service';
import { UsersService } from '../../users/users.service';
import { AuthErrorCode } from '../core/auth.exception';
import { CodeRequestsService } from './code-requests.service';
import { CodeGate, CodeRejection, codeRejectionError } from './code-gate';
import { LoginResponseDto } from './dto/auth-response.dto';
import { ResetPasswordDto } from './dto/reset-password.dto';
import { SignUpResponseDto } from './dto/sign-up.dto';
import { normaliseEmail } from './normalise-email';
import { PasswordHasher } from './password-hasher';
import { PasswordResetsRepository } from './password-resets.repository';
import { SessionValidator } from '../core/session-validator';
import { TokenService } from '../core/token.service';

/** Forgotten passwords: a mailed code, then a new password that revokes every older token. */
@Injectable()
export class PasswordResetService {
  constructor(
    private readonly db: DataSource,
    private readonly users: UsersService,
    private readonly resets: PasswordResetsRepository,
    private readonly codeRequests: CodeRequestsService,
    private readonly gate: CodeGate,
    private readonly passwords: PasswordHasher,
    private readonly tokens: TokenService,
    private readonly sessions: SessionValidator,
    private readonly realtime: RealtimeService,
  ) {}

  /** 202 whatever the email: the code is issued and mailed by a job when the account exists (CodeRequestsService). */
  async forgotPassword(rawEmail: string): Promise<SignUpResponseDto> {
    const email = normaliseEmail(rawEmail);
    await this.codeRequests.request('password-reset', email);
    return { status: 'verification-sent', email };
  }

  async resetPassword(input: ResetPasswordDto): Promise<LoginResponseDto> {
    const email = normaliseEmail(input.email);
    // Hashed first, whatever the code: a wrong code and a right one take the same time.
    const passwordHash = await this.passwords.hash(input.password);
    const outcome = await this.db.transaction(async (manager) => {
      await this.gate.lock(manager, 'password-reset', email);
      const reset = await this.resets.lockByEmail(manager, email);
      const rejection = await this.gate.judge(manager, { purpose: 'password-reset', email, code: input.code }, reset, () =>
        this.resets.countFailedAttempt(manager, reset!.userId),
      );
      if (rejection || !reset) return { rejection: rejection ?? ({ error: AuthErrorCode.INVALID_CODE } as CodeRejection) };
      const user = await this.users.resetPassword(manager, reset.userId, passwordHash);
      await this.resets.delete(manager, reset.userId);
      return { user };
    });
    if (outcome.rejection) throw codeRejectionError(outcome.rejection);
    const { user } = outcome;
    this.sessions.invalidate(user.id);
    this.realtime.disconnectUser(user.id);
    return { accessToken: this.tokens.sign({ id: user.id, role: user.role, tokenVersion: user.tokenVersion }), user: this.users.toDto(user) };
  }
}
