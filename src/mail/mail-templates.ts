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

export function passwordResetMail(input: { to: string; name: string; code: string; expiresInMinutes: number }): MailMessage {
  return {
    to: input.to,
    subject: `Your password reset code: ${input.code}`,
    text:
      `Hello ${input.name},\n\nyour code to choose a new password is ${input.code}.\n` +
      `It expires in ${input.expiresInMinutes} minutes. If you did not ask for it, ignore this mail: your password stays as it is.\n`,
  };
}

export function pointsExpiringMail(input: { to: string; name: string; amount: number; day: string }): MailMessage {
  return {
    to: input.to,
    subject: `${input.amount} of your points expire on ${input.day}`,
    text: `Hello ${input.name},\n\n${input.amount} of your points expire on ${input.day} (UTC). Spend them before then to keep their value.\n`,
  };
}
