import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';
import { IsNotBlank } from '../../common/http/is-not-blank.decorator';
import { MAX_AMOUNT } from '../../common/limits';

export class PurchaseRefundedDto {
  @ApiProperty({ minLength: 1, maxLength: 255 })
  @IsString()
  @MinLength(1)
  @MaxLength(255)
  @IsNotBlank()
  orderId: string;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: MAX_AMOUNT,
    description:
      'The TOTAL refunded so far for the order, in cents (cumulative, so a repeated notification changes nothing). ' +
      'Absent: the whole order is refunded. More than the order amount is a 422 INVALID_REFUND_AMOUNT.',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_AMOUNT)
  amount?: number;
}
