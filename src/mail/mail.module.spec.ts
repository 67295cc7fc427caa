import { Test } from '@nestjs/testing';
import { describe, expect, it } from 'vitest';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { jobDeclarationOf } from '../jobs/job-catalogue';
import { JobsService } from '../jobs/jobs.service';
import { LogMailTransport } from './log-mail.transport';
import { MAIL_TRANSPORT, MailMessage, MailTransport } from './mail-transport';
import { MailModule } from './mail.module';
import { MAIL_SEND_JOB, MailService } from './mail.service';
import { SmtpMailTransport } from './smtp-mail.transport';

async function build(config: Partial<AppConfig>) {
  const jobs = { send: async () => null };
  const moduleRef = await Test.createTestingModule({ imports: [MailModule] })
    .useMocker((token) => (token === APP_CONFIG ? { mailFrom: 'Test <t@example.com>', ...config } : token === JobsService ? jobs : undefined))
    .compile();
  await moduleRef.init();
  return { moduleRef };
}

describe('MailModule', () => {
  describe('MAIL_TRANSPORT', () => {
    it('writes to the log without SMTP_URL and uses SMTP with it', async () => {
      expect((await build({})).moduleRef.get(MAIL_TRANSPORT)).toBeInstanceOf(LogMailTransport);
      expect((await build({ smtpUrl: 'smtp://127.0.0.1:2525' })).moduleRef.get(MAIL_TRANSPORT)).toBeInstanceOf(SmtpMailTransport);
    });
  });

  describe('MailService', () => {
    it('declares deliver as the mail.send worker and delivers a verification code through the transport', async () => {
      const sent: MailMessage[] = [];
      const outbox: MailTransport = { send: async (m) => void sent.push(m) };
      expect(jobDeclarationOf(MailService.prototype.deliver)?.name).toBe(MAIL_SEND_JOB);
      const mail = new MailService({} as JobsService, outbox);
      await mail.deliver({ kind: 'verification-code', to: 'a@example.com', name: 'Ann', code: '042917', expiresInMinutes: 15 });
      expect(sent).toHaveLength(1);
      expect(sent[0]).toMatchObject({ to: 'a@example.com', subject: expect.stringContaining('042917') });
      expect(sent[0].text).toContain('15 minutes');
    });
  });
});
