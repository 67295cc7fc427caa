import { Column, CreateDateColumn, DeleteDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { UserRole } from '../../auth/core/user-role';
import { bigintTransformer } from '../../database/bigint.transformer';

export type { UserRole };

@Entity('users')
export class UserEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 255 })
  email: string;

  @Column({ name: 'password_hash', type: 'varchar', length: 255, nullable: true, select: false })
  passwordHash: string | null;

  @Column({ type: 'varchar', length: 100 })
  name: string;

  @Column({ type: 'varchar', length: 16, default: 'user' })
  role: UserRole;

  /** Embedded in access tokens; bumped by a password reset or closure so that older tokens stop working. */
  @Column({ name: 'token_version', type: 'integer', default: 0 })
  tokenVersion: number;

  @Column({ name: 'google_id', type: 'varchar', length: 255, nullable: true })
  googleId: string | null;

  @Column({ name: 'referral_code', type: 'varchar', length: 16, nullable: true })
  referralCode: string | null;

  @Column({ name: 'referred_by_id', type: 'uuid', nullable: true })
  referredById: string | null;

  @Column({ name: 'total_referrals', type: 'integer', default: 0 })
  totalReferrals: number;

  @Column({ name: 'active_referrals', type: 'integer', default: 0 })
  activeReferrals: number;

  @Column({ name: 'converted_referrals', type: 'integer', default: 0 })
  convertedReferrals: number;

  @Column({ name: 'total_earned', type: 'bigint', default: 0, transformer: bigintTransformer })
  totalEarned: number;

  /** When `total_referrals` last grew: the leaderboard's tie-break (who reached it first). */
  @Column({ name: 'last_referral_at', type: 'timestamptz', nullable: true })
  lastReferralAt: Date | null;

  @Column({ name: 'points_total', type: 'bigint', default: 0, transformer: bigintTransformer })
  pointsTotal: number;

  @Column({ name: 'points_available', type: 'bigint', default: 0, transformer: bigintTransformer })
  pointsAvailable: number;

  @Column({ name: 'points_pending', type: 'bigint', default: 0, transformer: bigintTransformer })
  pointsPending: number;

  /** Clawbacks that could not be taken from `available`; later earnings settle it first. */
  @Column({ name: 'points_debt', type: 'bigint', default: 0, transformer: bigintTransformer })
  pointsDebt: number;

  @Column({ type: 'integer', default: 1 })
  level: number;

  @Column({ name: 'signup_ip', type: 'varchar', length: 64, nullable: true })
  signupIp: string | null;

  @Column({ name: 'signup_device_id', type: 'varchar', length: 255, nullable: true })
  signupDeviceId: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;

  @DeleteDateColumn({ name: 'deleted_at', type: 'timestamptz', nullable: true })
  deletedAt: Date | null;
}
