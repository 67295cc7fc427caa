import { ApiProperty } from '@nestjs/swagger';

export class ReferralItemDto {
  @ApiProperty({ format: 'uuid', description: 'The referral id' })
  id: string;

  @ApiProperty({ example: 'Jane Doe', maxLength: 100 })
  name: string;

  @ApiProperty({ example: 'j***@example.com', maxLength: 255, description: 'Masked' })
  email: string;

  @ApiProperty({
    enum: ['pending', 'converted', 'flagged', 'rejected'],
    description: 'rejected: the sign-up used your code but was not counted (e.g. SELF_REFERRAL)',
  })
  status: string;

  @ApiProperty({ type: 'integer', enum: [1, 2], description: '1: your referee; 2: a referee of your referee' })
  level: number;

  @ApiProperty({ format: 'date-time' })
  joinedAt: string;

  @ApiProperty({ format: 'date-time', nullable: true, type: String })
  convertedAt: string | null;

  @ApiProperty({ type: 'integer', description: 'Points you earned from this referee' })
  pointsEarned: number;
}

export class ReferralStatsDto {
  @ApiProperty({ type: 'integer' }) totalReferrals: number;
  @ApiProperty({ type: 'integer' }) activeReferrals: number;
  @ApiProperty({ type: 'integer' }) convertedReferrals: number;
  @ApiProperty({ type: 'integer' }) totalEarned: number;
}

export class ReferralListDto {
  @ApiProperty({ type: [ReferralItemDto], maxItems: 100 })
  items: ReferralItemDto[];

  @ApiProperty({ type: String, nullable: true, maxLength: 255 })
  nextCursor: string | null;

  @ApiProperty({ type: ReferralStatsDto })
  stats: ReferralStatsDto;
}
