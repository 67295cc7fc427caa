import { Injectable, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { JobsService } from '../../jobs/jobs.service';
import { MailService } from '../../mail/mail.service';
import { CodePurpose } from './code-failures.repository';
import { PasswordResetsRepository } from './password-resets.repository';
import { PendingSignupsRepository } from './pending-signups.repository';
import { CODE_TTL_MINUTES, VerificationCodes } from './verification-codes';

export const AUTH_CODE_REQUEST_JOB = 'auth.code-request';

export interface CodeRequestJob {
  purpose: CodePurpose;
  email: string;
}

/**
 * resend-code and forgot-password answer the same whether or not the email has something to
 * send a code for, in content and in time: the request only enqueues this job (the same work
 * either way, measured 17 ms apart before), and the worker looks the email up, issues the code
 * and enqueues the mail when there is one.
 */
@Injectable()
export class CodeRequestsService implements OnModuleInit {
  constructor(
    private readonly jobs: JobsService,
    private readonly db: DataSource,
    private readonly pending: PendingSignupsRepository,
    private readonly resets: PasswordResetsRepository,
    private readonly codes: VerificationCodes,
    private readonly mail: MailService,
  ) {}

  onModuleInit(): void {
    this.jobs.register<CodeRequestJob>({
      name: AUTH_CODE_REQUEST_JOB,
      handle: (data) => this.issue(data),
      batchSize: 20,
      queue: { retentionSeconds: 3600, deleteAfterSeconds: 3600 },
    });
  }

  async request(purpose: CodePurpose, email: string): Promise<void> {
    await this.jobs.send<CodeRequestJob>(AUTH_CODE_REQUEST_JOB, { purpose, email });
  }

  /** A retried job issues another code, which replaces the first: harmless. */
  async issue({ purpose, email }: CodeRequestJob): Promise<void> {
    const code = this.codes.generate();
    const codeHash = this.codes.hash(email, code);
    await this.db.transaction(async (manager) => {
      const mail = { to: email, code, expiresInMinutes: CODE_TTL_MINUTES };
      if (purpose === 'sign-up') {
        const name = await this.pending.replaceCode(manager, email, codeHash);
        if (name !== undefined) await this.mail.enqueueVerificationCode(manager, { ...mail, name });
      } else {
        const name = await this.resets.issue(manager, email, codeHash);
        if (name !== undefined) await this.mail.enqueuePasswordReset(manager, { ...mail, name });
      }
    });
  }
}
