import { MailMessage } from './mail-transport';

export function verificationCodeMail(input: { to: string; name: string; code: string; expiresInMinutes: number }): MailMessage {
  return {
    to: input.to,
    subject: `Your verification code: ${input.code}`,
    text:
      `Hello ${input.name},\n\nyour verification code is ${input.code}.\n` +
      `It expires in ${input.expiresInMinutes} minutes. If you did not sign up, ignore this mail.\n`,
  };
}
