import { Injectable } from '@nestjs/common';
import { UnitOfWork } from '../../database/unit-of-work';
import { OnJob } from '../../jobs/job-catalogue';
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

declare module '../../jobs/job-catalogue' {
  interface JobPayloads {
    [AUTH_CODE_REQUEST_JOB]: CodeRequestJob;
  }
}

/**
 * resend-code and forgot-password answer the same whether or not the email has something to
 * send a code for, in content and in time: the request only enqueues this job (the same work
 * either way, measured 17 ms apart before), and the worker looks the email up, issues the code
 * and enqueues the mail when there is one.
 */
@Injectable()
export class CodeRequestsService {
  constructor(
    private readonly jobs: JobsService,
    private readonly uow: UnitOfWork,
    private readonly pending: PendingSignupsRepository,
    private readonly resets: PasswordResetsRepository,
    private readonly codes: VerificationCodes,
    private readonly mail: MailService,
  ) {}

  async request(purpose: CodePurpose, email: string): Promise<void> {
    await this.jobs.send(AUTH_CODE_REQUEST_JOB, { purpose, email });
  }

  /** A retried job issues another code, which replaces the first: harmless. */
  @OnJob(AUTH_CODE_REQUEST_JOB, { batchSize: 20, queue: { retentionSeconds: 3600, deleteAfterSeconds: 3600 } })
  async issue({ purpose, email }: CodeRequestJob): Promise<void> {
    const code = this.codes.generate();
    const codeHash = this.codes.hash(email, code);
    await this.uow.run(async (tx) => {
      const manager = tx.manager;
      const mail = { to: email, code, expiresInMinutes: CODE_TTL_MINUTES };
      if (purpose === 'sign-up') {
        const name = await this.pending.replaceCode(manager, email, codeHash);
        if (name !== undefined) await this.mail.enqueueVerificationCode(tx, { ...mail, name });
      } else {
        const name = await this.resets.issue(manager, email, codeHash);
        if (name !== undefined) await this.mail.enqueuePasswordReset(tx, { ...mail, name });
      }
    }, { isolation: 'READ COMMITTED' });
  }
}
