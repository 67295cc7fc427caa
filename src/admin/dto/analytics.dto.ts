import { ApiProperty } from '@nestjs/swagger';

export class AnalyticsDayDto {
  @ApiProperty({ example: '2026-11-21', description: 'UTC day' }) date: string;
  @ApiProperty() clicks: number;
  @ApiProperty() signups: number;
  @ApiProperty() referredSignups: number;
  @ApiProperty() convertedReferrals: number;
  @ApiProperty() pointsAwarded: number;
  @ApiProperty() pointsRedeemed: number;
}

export class AnalyticsDto {
  @ApiProperty({ format: 'date-time' }) from: string;
  @ApiProperty({ format: 'date-time' }) to: string;
  @ApiProperty({ description: 'Short-link clicks recorded' }) clicks: number;
  @ApiProperty({ description: 'Accounts created' }) signups: number;
  @ApiProperty({ description: 'Sign-ups attributed to a referrer (pending, flagged or converted; not rejected)' }) referredSignups: number;
  @ApiProperty({ description: 'Attributed referrals whose first purchase fell in the range' }) convertedReferrals: number;
  @ApiProperty({ description: 'convertedReferrals / referredSignups, 0 when there are none' }) conversionRate: number;
  @ApiProperty({ description: 'Points earned (posted or held, not voided)' }) pointsAwarded: number;
  @ApiProperty({ description: 'Points spent on rewards' }) pointsRedeemed: number;
  @ApiProperty({ description: 'Referrals created in the range that still await review' }) flaggedReferrals: number;
  @ApiProperty({ type: [AnalyticsDayDto] }) byDay: AnalyticsDayDto[];
}
