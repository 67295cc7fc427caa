import { AccountEmail, MailedCode } from './account-fields.decorator';

export class VerifyEmailCodeDto {
  @AccountEmail()
  email: string;

  @MailedCode()
  code: string;
}

export class ResendCodeDto {
  @AccountEmail()
  email: string;
}
