import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { JobsService } from '../jobs/jobs.service';
import { MAIL_TRANSPORT, MailTransport } from './mail-transport';
import { passwordResetMail, verificationCodeMail } from './mail-templates';

export const MAIL_SEND_JOB = 'mail.send';

export interface VerificationCodeMailJob {
  kind: 'verification-code';
  to: string;
  name: string;
  code: string;
  expiresInMinutes: number;
}

export interface PasswordResetMailJob {
  kind: 'password-reset';
  to: string;
  name: string;
  code: string;
  expiresInMinutes: number;
}

export type MailJob = VerificationCodeMailJob | PasswordResetMailJob;

/** Mails leave through a pg-boss job, enqueued in the transaction of the change that causes them. */
@Injectable()
export class MailService implements OnModuleInit {
  constructor(
    private readonly jobs: JobsService,
    @Inject(MAIL_TRANSPORT) private readonly transport: MailTransport,
  ) {}

  onModuleInit(): void {
    // Batches let the worker keep fetching through a burst of sign-ups (pg-boss bursts on full batches).
    this.jobs.register<MailJob>({
      name: MAIL_SEND_JOB,
      handle: (data) => this.deliver(data),
      batchSize: 20,
      // A job holds the code in clear; codes die after 15 minutes, so neither waits nor stays longer than an hour.
      queue: { retentionSeconds: 3600, deleteAfterSeconds: 3600 },
    });
  }

  /** Enqueues the verification-code mail; commits (or rolls back) with `manager`'s transaction. */
  async enqueueVerificationCode(manager: EntityManager, mail: Omit<VerificationCodeMailJob, 'kind'>): Promise<void> {
    await this.jobs.send<MailJob>(MAIL_SEND_JOB, { kind: 'verification-code', ...mail }, { manager });
  }

  /** Enqueues the password-reset code mail; commits (or rolls back) with `manager`'s transaction. */
  async enqueuePasswordReset(manager: EntityManager, mail: Omit<PasswordResetMailJob, 'kind'>): Promise<void> {
    await this.jobs.send<MailJob>(MAIL_SEND_JOB, { kind: 'password-reset', ...mail }, { manager });
  }

  /** Sends one mail; a retry may send it again (at-least-once), which is harmless for a code. */
  async deliver(job: MailJob): Promise<void> {
    switch (job.kind) {
      case 'verification-code':
        return this.transport.send(verificationCodeMail(job));
      case 'password-reset':
        return this.transport.send(passwordResetMail(job));
    }
  }
}
