import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { EmailFits } from '../../../common/http/email-fits.decorator';
import { Trim } from './trim';

export class LoginDto {
  @ApiProperty({ example: 'jane@example.com', minLength: 1, maxLength: 255 })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(255)
  @EmailFits()
  email: string;

  @ApiProperty({ minLength: 1, maxLength: 128 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(128)
  password: string;
}
