import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { PageQueryDto } from '../../common/pagination/page-query.dto';
import { ReferralStatus } from '../../referrals/entities/referral.entity';

export const REFERRAL_STATUSES: ReferralStatus[] = ['pending', 'converted', 'flagged', 'rejected'];

export class ListAdminReferralsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: REFERRAL_STATUSES, description: 'Absent: every status' })
  @IsOptional()
  @IsIn(REFERRAL_STATUSES)
  status?: ReferralStatus;
}
