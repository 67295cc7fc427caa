import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, Max, Min } from 'class-validator';
import { MAX_AMOUNT } from '../../common/limits';
import { PointTransactionDto } from './point-transaction.dto';

export const REWARD_TYPES = ['service-credit', 'discount-code'] as const;
export type RewardType = (typeof REWARD_TYPES)[number];

export class RedeemPointsDto {
  @ApiProperty({ type: 'integer', minimum: 1, maximum: MAX_AMOUNT, example: 500 })
  @IsInt()
  @Min(1)
  @Max(MAX_AMOUNT)
  amount: number;

  @ApiProperty({ enum: REWARD_TYPES })
  @IsIn(REWARD_TYPES)
  reward: RewardType;
}

export class RewardDto {
  @ApiProperty({ enum: REWARD_TYPES }) type: RewardType;
  @ApiProperty({ type: 'integer', description: 'Value in cents: one point is one cent' }) value: number;
  @ApiPropertyOptional({ description: 'The unique discount code (discount-code only)' }) code?: string;
}

export class RedeemResultDto {
  @ApiProperty({ type: PointTransactionDto }) transaction: PointTransactionDto;
  @ApiProperty({ type: RewardDto }) reward: RewardDto;
  @ApiProperty({ type: 'integer', minimum: 0, description: 'Points available after the redemption' }) available: number;
}
