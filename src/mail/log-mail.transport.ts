import { Logger } from '@nestjs/common';
import { MailMessage, MailTransport } from './mail-transport';

/**
 * The development fallback when SMTP_URL is unset: the mail goes to the log. This is
 * the only place a verification code may be written to a log.
 */
export class LogMailTransport implements MailTransport {
  private readonly logger = new Logger('Mail');

  async send(message: MailMessage): Promise<void> {
    this.logger.log(`no SMTP_URL: mail to ${message.to} not sent — ${message.subject}: ${message.text}`);
  }
}
