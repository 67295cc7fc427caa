import { ApiProperty } from '@nestjs/swagger';
import { IsEmail, IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { EmailFits } from '../../common/http/email-fits.decorator';
import { Trim } from './trim';

export class VerifyEmailCodeDto {
  @ApiProperty({ example: 'jane@example.com', format: 'email', maxLength: 255 })
  @Trim()
  @IsString()
  @MaxLength(255)
  @IsEmail()
  @EmailFits()
  email: string;

  @ApiProperty({ example: '042917', description: 'The 6-digit code from the mail', minLength: 1, maxLength: 255 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(255)
  code: string;
}

export class ResendCodeDto {
  @ApiProperty({ example: 'jane@example.com', format: 'email', maxLength: 255 })
  @Trim()
  @IsString()
  @MaxLength(255)
  @IsEmail()
  @EmailFits()
  email: string;
}
