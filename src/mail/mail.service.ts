import { Inject, Injectable } from '@nestjs/common';
import { Tx } from '../database/unit-of-work';
import { OnJob } from '../jobs/job-catalogue';
import { JobsService } from '../jobs/jobs.service';
import { MAIL_TRANSPORT, MailTransport } from './mail-transport';
import { passwordResetMail, pointsExpiringMail, verificationCodeMail } from './mail-templates';

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

export interface PointsExpiringMailJob {
  kind: 'points-expiring';
  to: string;
  name: string;
  amount: number;
  /** The UTC day the points expire, YYYY-MM-DD. */
  day: string;
}

export type MailJob = VerificationCodeMailJob | PasswordResetMailJob | PointsExpiringMailJob;

declare module '../jobs/job-catalogue' {
  interface JobPayloads {
    [MAIL_SEND_JOB]: MailJob;
  }
}

/** Mails leave through a pg-boss job, enqueued in the transaction of the change that causes them. */
@Injectable()
export class MailService {
  constructor(
    private readonly jobs: JobsService,
    @Inject(MAIL_TRANSPORT) private readonly transport: MailTransport,
  ) {}

  /** Enqueues the verification-code mail; commits (or rolls back) with `tx`. */
  async enqueueVerificationCode(tx: Tx, mail: Omit<VerificationCodeMailJob, 'kind'>): Promise<void> {
    await this.jobs.send(MAIL_SEND_JOB, { kind: 'verification-code', ...mail }, { tx });
  }

  /** Enqueues the password-reset code mail; commits (or rolls back) with `tx`. */
  async enqueuePasswordReset(tx: Tx, mail: Omit<PasswordResetMailJob, 'kind'>): Promise<void> {
    await this.jobs.send(MAIL_SEND_JOB, { kind: 'password-reset', ...mail }, { tx });
  }

  /** Enqueues the points-expiry reminder; commits (or rolls back) with `tx`. */
  async enqueuePointsExpiring(tx: Tx, mail: Omit<PointsExpiringMailJob, 'kind'>): Promise<void> {
    await this.jobs.send(MAIL_SEND_JOB, { kind: 'points-expiring', ...mail }, { tx });
  }

  /** Sends one mail; a retry may send it again (at-least-once), which is harmless for a code. */
  // Batches let the worker keep fetching through a burst of sign-ups (a worker fetches again at once after a full batch).
  // A job holds the code in clear; codes die after 15 minutes, so neither waits nor stays longer than an hour.
  @OnJob(MAIL_SEND_JOB, { batchSize: 20, queue: { retentionSeconds: 3600, deleteAfterSeconds: 3600 } })
  async deliver(job: MailJob): Promise<void> {
    switch (job.kind) {
      case 'verification-code':
        return this.transport.send(verificationCodeMail(job));
      case 'password-reset':
        return this.transport.send(passwordResetMail(job));
      case 'points-expiring':
        return this.transport.send(pointsExpiringMail(job));
    }
  }
}
