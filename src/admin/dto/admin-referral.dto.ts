import { ApiProperty } from '@nestjs/swagger';

export class AdminReferralPartyDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ maxLength: 100 }) name: string;
  @ApiProperty({ maxLength: 255, description: 'Unmasked: admins review fraud signals' }) email: string;
}

export class AdminReferralDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: ['pending', 'converted', 'flagged', 'rejected'] }) status: string;
  @ApiProperty({ type: [String], enum: ['SELF_REFERRAL', 'REFERRER_DELETED', 'SAME_IP', 'SAME_DEVICE', 'VELOCITY'], maxItems: 5, example: ['SAME_IP'] }) reasons: string[];
  @ApiProperty({ type: AdminReferralPartyDto }) referrer: AdminReferralPartyDto;
  @ApiProperty({ type: AdminReferralPartyDto }) referee: AdminReferralPartyDto;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) convertedAt: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) reviewedAt: string | null;
  @ApiProperty({ type: 'integer', description: 'Points held (pending) until this referral is reviewed' }) heldPoints: number;
}

export class AdminReferralListDto {
  @ApiProperty({ type: [AdminReferralDto], maxItems: 100 }) items: AdminReferralDto[];
  @ApiProperty({ nullable: true, type: String, maxLength: 255 }) nextCursor: string | null;
}
