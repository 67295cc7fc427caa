import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { PageQueryDto } from '../../common/pagination/page-query.dto';
import { PointTransactionType } from '../entities/point-transaction.entity';

export const TRANSACTION_TYPES: PointTransactionType[] = ['earn', 'spend', 'refund', 'clawback', 'expire'];

export class ListTransactionsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: TRANSACTION_TYPES })
  @IsOptional()
  @IsIn(TRANSACTION_TYPES)
  type?: PointTransactionType;
}
