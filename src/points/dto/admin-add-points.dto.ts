import { ApiProperty } from '@nestjs/swagger';
import { IsInt, IsString, IsUUID, Max, MaxLength, Min, MinLength, NotEquals } from 'class-validator';
import { PointTransactionDto } from './point-transaction.dto';
import { IsNotBlank } from '../../common/http/is-not-blank.decorator';
import { MAX_AMOUNT } from '../../common/limits';

export class AdminAddPointsDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  userId: string;

  @ApiProperty({
    type: 'integer',
    minimum: -MAX_AMOUNT,
    maximum: MAX_AMOUNT,
    not: { enum: [0] },
    description: 'Positive grants (type earn, source admin); negative deducts from available, never overdrawing; never 0',
    example: 250,
  })
  @IsInt()
  @NotEquals(0)
  @Min(-MAX_AMOUNT)
  @Max(MAX_AMOUNT)
  amount: number;

  @ApiProperty({ minLength: 1, maxLength: 500 })
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  @IsNotBlank()
  reason: string;
}

export class PointBalancesDto {
  @ApiProperty({ type: 'integer' }) total: number;
  @ApiProperty({ type: 'integer', minimum: 0 }) available: number;
  @ApiProperty({ type: 'integer' }) pending: number;
  @ApiProperty({ type: 'integer' }) level: number;
}

export class AdminAddPointsResultDto {
  @ApiProperty({ type: PointTransactionDto }) transaction: PointTransactionDto;
  @ApiProperty({ type: PointBalancesDto }) points: PointBalancesDto;
}
