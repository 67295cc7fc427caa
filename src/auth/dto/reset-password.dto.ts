import { ApiProperty } from '@nestjs/swagger';
import { IsEmail, IsNotEmpty, IsString, Length, MaxLength } from 'class-validator';
import { EmailFits } from '../../common/http/email-fits.decorator';
import { Trim } from './trim';

export class ForgotPasswordDto {
  @ApiProperty({ example: 'jane@example.com', maxLength: 255 })
  @Trim()
  @IsString()
  @MaxLength(255)
  @IsEmail()
  @EmailFits()
  email: string;
}

export class ResetPasswordDto {
  @ApiProperty({ example: 'jane@example.com', maxLength: 255 })
  @Trim()
  @IsString()
  @MaxLength(255)
  @IsEmail()
  @EmailFits()
  email: string;

  @ApiProperty({ example: '042917', description: 'The 6-digit code from the mail', maxLength: 255 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(255)
  code: string;

  @ApiProperty({ description: 'The new password', minLength: 8, maxLength: 128 })
  @IsString()
  @Length(8, 128)
  password: string;
}
