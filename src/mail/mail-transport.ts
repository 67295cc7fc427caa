export interface MailMessage {
  to: string;
  subject: string;
  text: string;
}

/** Where mails go: SMTP, the log, or (in tests) an in-memory outbox. Override MAIL_TRANSPORT to capture them. */
export interface MailTransport {
  send(message: MailMessage): Promise<void>;
}

export const MAIL_TRANSPORT = Symbol('MAIL_TRANSPORT');
