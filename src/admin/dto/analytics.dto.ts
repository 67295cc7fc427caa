import { ApiProperty } from '@nestjs/swagger';

export class AnalyticsDayDto {
  @ApiProperty({ format: 'date', example: '2026-11-21', description: 'UTC day' }) date: string;
  @ApiProperty({ type: 'integer' }) clicks: number;
  @ApiProperty({ type: 'integer' }) signups: number;
  @ApiProperty({ type: 'integer' }) referredSignups: number;
  @ApiProperty({ type: 'integer' }) convertedReferrals: number;
  @ApiProperty({ type: 'integer' }) pointsAwarded: number;
  @ApiProperty({ type: 'integer' }) pointsRedeemed: number;
}

export class AnalyticsDto {
  @ApiProperty({ format: 'date-time' }) from: string;
  @ApiProperty({ format: 'date-time' }) to: string;
  @ApiProperty({ type: 'integer', description: 'Short-link clicks recorded' }) clicks: number;
  @ApiProperty({ type: 'integer', description: 'Accounts created' }) signups: number;
  @ApiProperty({ type: 'integer', description: 'Sign-ups attributed to a referrer (pending, flagged or converted; not rejected)' }) referredSignups: number;
  @ApiProperty({ type: 'integer', description: 'Attributed referrals whose first purchase fell in the range' }) convertedReferrals: number;
  @ApiProperty({ minimum: 0, description: 'convertedReferrals / referredSignups, 0 when there are none' }) conversionRate: number;
  @ApiProperty({ type: 'integer', description: 'Points earned (posted or held, not voided)' }) pointsAwarded: number;
  @ApiProperty({ type: 'integer', description: 'Points spent on rewards' }) pointsRedeemed: number;
  @ApiProperty({ type: 'integer', description: 'Referrals created in the range that still await review' }) flaggedReferrals: number;
  @ApiProperty({ type: [AnalyticsDayDto], maxItems: 367, description: 'One per UTC day the range touches (at most 366 days)' }) byDay: AnalyticsDayDto[];
}
