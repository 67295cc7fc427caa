import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { digitsToNumber } from '../../common/pagination/page-query.dto';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

export class LeaderboardQueryDto {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 100, default: 10 })
  @IsOptional()
  @Transform(digitsToNumber)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;
}

export class LeaderboardRowDto {
  @ApiProperty({ type: 'integer', description: 'Users with no referral share the rank after the last one who has some' }) rank: number;
  @ApiProperty({ format: 'uuid' }) userId: string;
  @ApiProperty({ maxLength: 100, description: 'Display name only, never the email' }) name: string;
  @ApiProperty({ type: 'integer' }) totalReferrals: number;
  @ApiProperty({ type: 'integer' }) convertedReferrals: number;
  @ApiProperty({ type: 'integer' }) totalEarned: number;
}

export class LeaderboardDto {
  @ApiProperty({ type: [LeaderboardRowDto], maxItems: 100, description: 'Users with at least one referral, best first' }) items: LeaderboardRowDto[];
  @ApiProperty({ type: LeaderboardRowDto, nullable: true, description: "The caller's row when authenticated" }) me: LeaderboardRowDto | null;
}
