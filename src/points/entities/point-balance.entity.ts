import { Check, Column, Entity, JoinColumn, OneToOne, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { bigintTransformer } from '../../database/bigint.transformer';
import { UserEntity } from '../../users/entities/user.entity';

/**
 * A user's balances, written only by the ledger's statements (points-ledger.repository.ts). A user
 * has no row until their first ledger write: a missing row reads as zero balances.
 */
@Entity('point_balances')
@Check('point_balances_available_non_negative', 'available >= 0')
@Check('point_balances_pending_non_negative', 'pending >= 0')
@Check('point_balances_debt_non_negative', 'debt >= 0')
@Check('point_balances_debt_only_when_empty', 'debt = 0 OR available = 0')
@Check('point_balances_window_whole', '(window_from IS NULL) = (qualifying IS NULL)')
export class PointBalanceEntity {
  @PrimaryColumn({ name: 'user_id', type: 'uuid' })
  userId: string;

  @OneToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: UserEntity;

  /** Lifetime points earned, net of clawbacks; sets the level. */
  @Column({ type: 'bigint', default: 0, transformer: bigintTransformer })
  total: number;

  @Column({ type: 'bigint', default: 0, transformer: bigintTransformer })
  available: number;

  @Column({ type: 'bigint', default: 0, transformer: bigintTransformer })
  pending: number;

  /** Clawbacks that could not be taken from `available`; later earnings settle it first. */
  @Column({ type: 'bigint', default: 0, transformer: bigintTransformer })
  debt: number;

  /** points_level(total), kept in the same statement that moves total; under a level window, see `qualifying`. */
  @Column({ type: 'integer', default: 1 })
  level: number;

  /** Under a level window (LEVEL_WINDOW_MONTHS): where it started at the last evaluation; null = lifetime qualification. */
  @Column({ name: 'window_from', type: 'timestamptz', nullable: true })
  windowFrom: Date | null;

  /** Under a level window: points earned since `windowFrom`, net of clawbacks; sets the level. */
  @Column({ type: 'bigint', nullable: true, transformer: bigintTransformer })
  qualifying: number | null;

  /** Bumped by the trigger point_balances_seq whenever a balance moves. */
  @Column({ type: 'bigint', default: 0, transformer: bigintTransformer })
  seq: number;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
