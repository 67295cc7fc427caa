import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsOptional, IsString, Length, MaxLength } from 'class-validator';
import { AccountEmail } from './account-fields.decorator';
import { Trim } from './trim';

export class SignUpDto {
  @AccountEmail()
  email: string;

  @ApiProperty({ minLength: 8, maxLength: 128 })
  @IsString()
  @Length(8, 128)
  password: string;

  @ApiProperty({ example: 'Jane Doe', minLength: 1, maxLength: 100 })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  name: string;

  @ApiPropertyOptional({ example: 'K7M2Q9XD', description: 'Else the `ref` cookie; matched trimmed and upper-cased', maxLength: 255 })
  @IsOptional()
  @IsString()
  @MaxLength(255)
  referralCode?: string;
}

export class SignUpResponseDto {
  @ApiProperty({ enum: ['verification-sent'] })
  status: 'verification-sent';

  @ApiProperty({ example: 'jane@example.com', maxLength: 255 })
  email: string;
}
