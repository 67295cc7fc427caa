import { ApiProperty } from '@nestjs/swagger';
import { LedgerEntry } from '../points-ledger.repository';

export class PointTransactionDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: ['earn', 'spend', 'refund', 'clawback', 'expire'] }) type: string;
  @ApiProperty({ type: 'integer', description: 'Signed: spend, clawback and expire are negative', example: -100 }) amount: number;
  @ApiProperty({ type: 'integer', minimum: 0, description: 'Available points after this entry (for a held entry: when it was written)' }) balanceAfter: number;
  @ApiProperty({ enum: ['purchase', 'referral', 'bonus', 'admin', 'redeem', 'system'] }) source: string;
  @ApiProperty({ enum: ['posted', 'pending', 'voided'], description: 'pending: held, not yet spendable' }) status: string;
  @ApiProperty({ nullable: true, type: String }) description: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true }) metadata: Record<string, unknown>;
  @ApiProperty({ format: 'date-time' }) createdAt: string;

  static from(e: LedgerEntry): PointTransactionDto {
    return {
      id: e.id,
      type: e.type,
      amount: e.amount,
      balanceAfter: e.balanceAfter,
      source: e.source,
      status: e.status,
      description: e.description,
      metadata: e.metadata,
      createdAt: e.createdAt.toISOString(),
    };
  }
}

export class PointTransactionPageDto {
  @ApiProperty({ type: [PointTransactionDto], maxItems: 100 }) items: PointTransactionDto[];
  @ApiProperty({ nullable: true, type: String, maxLength: 255 }) nextCursor: string | null;
}
