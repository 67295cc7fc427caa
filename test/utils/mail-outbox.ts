import { MailMessage, MailTransport } from '../../src/mail/mail-transport';

/** An in-memory MAIL_TRANSPORT: override the provider with it to read the mails a test caused. */
export class MailOutbox implements MailTransport {
  readonly mails: MailMessage[] = [];

  async send(message: MailMessage): Promise<void> {
    this.mails.push(message);
  }

  to(email: string): MailMessage[] {
    return this.mails.filter((m) => m.to === email);
  }

  /** Waits for the `count`-th mail to `email` (the pg-boss worker delivers asynchronously) and returns its code. */
  async code(email: string, count = 1, ms = 15_000): Promise<string> {
    const end = Date.now() + ms;
    while (this.to(email).length < count) {
      if (Date.now() > end) throw new Error(`no mail #${count} to ${email} within ${ms} ms`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const match = /\b(\d{6})\b/.exec(this.to(email)[count - 1].text);
    if (!match) throw new Error('the mail holds no 6-digit code');
    return match[1];
  }
}
