import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AuthErrorCode, AuthException } from '../core/auth.exception';
import { CodeFailuresRepository, CodePurpose } from './code-failures.repository';
import { MAX_CODE_ATTEMPTS, VerificationCodes } from './verification-codes';

export interface StoredCode {
  codeHash: string;
  attempts: number;
  expired: boolean;
}

export type CodeRejection =
  | { error: AuthErrorCode.INVALID_CODE | AuthErrorCode.CODE_EXPIRED }
  | { error: AuthErrorCode.TOO_MANY_ATTEMPTS; retryAfterSeconds?: number };

/**
 * The rules every mailed code follows (API.md): 15 minutes, 5 wrong tries lock that code, and
 * at most 10 wrong tries an hour per email whatever the number of codes. A wrong code for an
 * email with no code counts too, so the answers never tell whether one is pending.
 */
@Injectable()
export class CodeGate {
  constructor(
    private readonly failures: CodeFailuresRepository,
    private readonly codes: VerificationCodes,
  ) {}

  /** Call first in the transaction, before reading the stored code. */
  lock(manager: EntityManager, purpose: CodePurpose, email: string): Promise<void> {
    return this.failures.lock(manager, purpose, email);
  }

  /** Undefined when `code` is right; otherwise why not, with the failure already recorded. */
  async judge(
    manager: EntityManager,
    input: { purpose: CodePurpose; email: string; code: string },
    stored: StoredCode | undefined,
    countAttempt: () => Promise<void>,
  ): Promise<CodeRejection | undefined> {
    const blockedFor = await this.failures.blockedForSeconds(manager, input.purpose, input.email);
    if (blockedFor > 0) return { error: AuthErrorCode.TOO_MANY_ATTEMPTS, retryAfterSeconds: blockedFor };
    if (stored && stored.attempts >= MAX_CODE_ATTEMPTS) return { error: AuthErrorCode.TOO_MANY_ATTEMPTS };
    if (stored?.expired) return { error: AuthErrorCode.CODE_EXPIRED };
    if (stored && this.codes.matches(input.email, input.code, stored.codeHash)) return undefined;
    if (stored) await countAttempt();
    await this.failures.record(manager, input.purpose, input.email);
    return { error: AuthErrorCode.INVALID_CODE };
  }
}

export function codeRejectionError(rejection: CodeRejection): InstanceType<typeof AuthException> {
  switch (rejection.error) {
    case AuthErrorCode.TOO_MANY_ATTEMPTS:
      return rejection.retryAfterSeconds
        ? new AuthException(rejection.error, 'Too many wrong codes for this email: try again later', {
            'Retry-After': String(rejection.retryAfterSeconds),
          })
        : new AuthException(rejection.error, 'Too many wrong codes: request a new code');
    case AuthErrorCode.CODE_EXPIRED:
      return new AuthException(rejection.error, 'This code has expired: request a new code');
    default:
      return new AuthException(AuthErrorCode.INVALID_CODE, 'The code is not correct');
  }
}
