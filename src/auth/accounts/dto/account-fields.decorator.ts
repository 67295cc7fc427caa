import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { IsEmail, IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { EmailFits } from '../../../common/http/email-fits.decorator';
import { Trim } from './trim';

/** An account's email in a request: trimmed, a real address, and within 255 once lower-cased as stored. */
export const AccountEmail = () =>
  applyDecorators(
    ApiProperty({ example: 'jane@example.com', format: 'email', maxLength: 255 }),
    Trim(),
    IsString(),
    MaxLength(255),
    IsEmail(),
    EmailFits(),
  );

/** A code from a mail (sign-up or password reset); its rules are checked by the CodeGate, not here. */
export const MailedCode = () =>
  applyDecorators(
    ApiProperty({ example: '042917', description: 'The 6-digit code from the mail', minLength: 1, maxLength: 255 }),
    IsString(),
    IsNotEmpty(),
    MaxLength(255),
  );
