import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';

export class ReviewReferralDto {
  @ApiPropertyOptional({ maxLength: 500, description: "The reviewer's reason, kept in the audit log" })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  note?: string;
}
