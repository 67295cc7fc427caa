import { ApiProperty } from '@nestjs/swagger';
import { ReferralStatsDto } from '../../referrals/dto/referral-list.dto';
import { AdminReferralPartyDto } from './admin-referral.dto';

export class AdminUserPointsDto {
  @ApiProperty({ type: 'integer', description: 'Lifetime points earned, net of clawbacks' }) total: number;
  @ApiProperty({ type: 'integer', minimum: 0 }) available: number;
  @ApiProperty({ type: 'integer', minimum: 0 }) pending: number;
  @ApiProperty({ type: 'integer', minimum: 0 }) debt: number;
  @ApiProperty({ type: 'integer', minimum: 1, example: 2 }) level: number;
}

export class AdminUserDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ maxLength: 255, description: 'Unmasked: admins look users up by it' }) email: string;
  @ApiProperty({ maxLength: 100 }) name: string;
  @ApiProperty({ enum: ['user', 'admin'] }) role: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ type: AdminUserPointsDto }) points: AdminUserPointsDto;
  @ApiProperty({ type: ReferralStatsDto, description: 'This user as a referrer' }) referralStats: ReferralStatsDto;
  @ApiProperty({ type: AdminReferralPartyDto, nullable: true, description: 'Who referred this user; null when nobody did or that referral was rejected' })
  referredBy: AdminReferralPartyDto | null;
  @ApiProperty({ description: "True while this user's own referral is flagged, awaiting an admin's review" }) flagged: boolean;
}

export class AdminUserPageDto {
  @ApiProperty({ type: [AdminUserDto], maxItems: 100 }) items: AdminUserDto[];
  @ApiProperty({ nullable: true, type: String, maxLength: 255 }) nextCursor: string | null;
}

export class AdminUserReferralDto {
  @ApiProperty({ enum: ['pending', 'converted', 'flagged', 'rejected'] }) status: string;
  @ApiProperty({ type: [String], enum: ['SELF_REFERRAL', 'REFERRER_DELETED', 'SAME_IP', 'SAME_DEVICE', 'VELOCITY'], maxItems: 5 }) reasons: string[];
  @ApiProperty({ type: AdminReferralPartyDto }) referrer: AdminReferralPartyDto;
}

export class AdminUserDetailDto extends AdminUserDto {
  @ApiProperty({ type: AdminUserReferralDto, nullable: true, description: 'The referral that brought this user in, whatever its status; null when none' })
  referral: AdminUserReferralDto | null;
}
