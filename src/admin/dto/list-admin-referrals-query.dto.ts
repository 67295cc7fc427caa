import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { ReferralStatus } from '../../referrals/entities/referral.entity';

export const REFERRAL_STATUSES: ReferralStatus[] = ['pending', 'converted', 'flagged', 'rejected'];

export class ListAdminReferralsQueryDto {
  @ApiPropertyOptional({ enum: REFERRAL_STATUSES, description: 'Absent: every status' })
  @IsOptional()
  @IsIn(REFERRAL_STATUSES)
  status?: ReferralStatus;

  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;

  @ApiPropertyOptional({ description: 'Opaque: the nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(255)
  cursor?: string;
}
