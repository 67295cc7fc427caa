import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { bigintTransformer } from '../../database/bigint.transformer';

export type PointTransactionType = 'earn' | 'spend' | 'refund' | 'clawback' | 'expire';
/** `system`: written by the service itself (points expiry). */
export type PointSource = 'purchase' | 'referral' | 'bonus' | 'admin' | 'redeem' | 'system';
/** `pending` entries count towards the balance's `pending` until released; `voided` ones count nowhere. */
export type PointTransactionStatus = 'posted' | 'pending' | 'voided';

/** The ledger: append-only, one row per change of a user's points. */
@Entity('point_transactions')
export class PointTransactionEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @Column({ type: 'varchar', length: 16 })
  type: PointTransactionType;

  @Column({ type: 'bigint', transformer: bigintTransformer })
  amount: number;

  @Column({ type: 'varchar', length: 16 })
  source: PointSource;

  @Column({ type: 'varchar', length: 16, default: 'posted' })
  status: PointTransactionStatus;

  @Column({ name: 'balance_after', type: 'bigint', transformer: bigintTransformer })
  balanceAfter: number;

  @Column({ type: 'varchar', length: 500, nullable: true })
  description: string | null;

  @Column({ type: 'jsonb', default: () => "'{}'::jsonb" })
  metadata: Record<string, unknown>;

  @Column({ name: 'idempotency_key', type: 'varchar', length: 255, nullable: true })
  idempotencyKey: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
