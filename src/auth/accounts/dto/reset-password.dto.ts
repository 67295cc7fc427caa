import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import { AccountEmail, MailedCode } from './account-fields.decorator';

export class ForgotPasswordDto {
  @AccountEmail()
  email: string;
}

export class ResetPasswordDto {
  @AccountEmail()
  email: string;

  @MailedCode()
  code: string;

  @ApiProperty({ description: 'The new password', minLength: 8, maxLength: 128 })
  @IsString()
  @Length(8, 128)
  password: string;
}
