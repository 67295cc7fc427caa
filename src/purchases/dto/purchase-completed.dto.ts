import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';
import { IsDateTime } from '../../common/http/is-date-time.decorator';
import { MAX_AMOUNT } from '../../common/limits';

export class PurchaseCompletedDto {
  @ApiProperty({ minLength: 1, maxLength: 255, description: 'The commerce system order id: delivery is idempotent on it' })
  @IsString()
  @MinLength(1)
  @MaxLength(255)
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
  @Matches(/^[A-Z]{3}$/, { message: 'currency must be an ISO 4217 code of three upper-case letters' })
  currency: string;

  @ApiPropertyOptional({ format: 'date-time', maxLength: 40, description: 'Defaults to when the notification is received' })
  @IsOptional()
  @IsDateTime()
  @MaxLength(40)
  completedAt?: string;
}
