import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min, MinLength } from 'class-validator';
import { IsCurrencyCode } from '../../common/http/currency-codes';
import { IsDateTime, NotInFuture } from '../../common/http/is-date-time.decorator';
import { IsNotBlank } from '../../common/http/is-not-blank.decorator';
import { MAX_AMOUNT } from '../../common/limits';

/** How far ahead of this server's clock a commerce system's completedAt may be. */
export const COMPLETED_AT_SKEW_MS = 5 * 60_000;

export class PurchaseCompletedDto {
  @ApiProperty({ minLength: 1, maxLength: 255, description: 'The commerce system order id: delivery is idempotent on it' })
  @IsString()
  @MinLength(1)
  @MaxLength(255)
  @IsNotBlank()
  orderId: string;

  @ApiProperty({ format: 'uuid', description: 'The buyer' })
  @IsUUID('all')
  userId: string;

  @ApiProperty({ type: 'integer', minimum: 1, maximum: MAX_AMOUNT, description: 'Integer minor units (cents)' })
  @IsInt()
  @Min(1)
  @Max(MAX_AMOUNT)
  amount: number;

  @ApiProperty({ example: 'USD', minLength: 3, maxLength: 3, pattern: '^[A-Z]{3}$', description: 'ISO 4217, three upper-case letters' })
  @IsString()
  @IsCurrencyCode()
  currency: string;

  @ApiPropertyOptional({ format: 'date-time', maxLength: 40, description: 'Defaults to when the notification is received' })
  @IsOptional()
  @IsDateTime()
  @NotInFuture(COMPLETED_AT_SKEW_MS)
  @MaxLength(40)
  completedAt?: string;
}
