import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/** A sign-up waiting for its emailed code; the user row is created only on verification. */
@Entity('pending_signups')
export class PendingSignupEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** Trimmed and lower-cased; unique among pending sign-ups. */
  @Column({ type: 'varchar', length: 255 })
  email: string;

  @Column({ type: 'varchar', length: 100 })
  name: string;

  @Column({ name: 'password_hash', type: 'varchar', length: 255 })
  passwordHash: string;

  /** HMAC-SHA256 of the code: a database leak does not reveal live codes. */
  @Column({ name: 'code_hash', type: 'char', length: 64 })
  codeHash: string;

  @Column({ type: 'integer', default: 0 })
  attempts: number;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt: Date;

  @Column({ name: 'referral_code', type: 'varchar', length: 16, nullable: true })
  referralCode: string | null;

  @Column({ name: 'signup_ip', type: 'varchar', length: 64, nullable: true })
  signupIp: string | null;

  @Column({ name: 'signup_device_id', type: 'varchar', length: 255, nullable: true })
  signupDeviceId: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
