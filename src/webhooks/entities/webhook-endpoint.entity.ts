import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export type AutoDisableReason = 'consecutive-failures' | 'failing-for-3-days';
export type WebhookDisabledReason = 'disabled-by-admin' | AutoDisableReason;

@Entity('webhook_endpoints')
export class WebhookEndpointEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 2048 })
  url: string;

  @Column({ type: 'varchar', length: 64, array: true })
  events: string[];

  @Column({ type: 'varchar', length: 500, nullable: true })
  description: string | null;

  /** AES-256-GCM: iv, tag, ciphertext (WebhookSecrets); never selected unless asked for. */
  @Column({ name: 'secret_encrypted', type: 'bytea', select: false })
  secretEncrypted: Buffer;

  @Column({ type: 'boolean', default: true })
  enabled: boolean;

  @Column({ name: 'disabled_reason', type: 'varchar', length: 32, nullable: true })
  disabledReason: WebhookDisabledReason | null;

  @Column({ name: 'failure_streak', type: 'integer', default: 0 })
  failureStreak: number;

  /** The first failure since the last success: with no success for 3 days the endpoint is disabled. */
  @Column({ name: 'failing_since', type: 'timestamptz', nullable: true })
  failingSince: Date | null;

  @Column({ name: 'last_delivery_at', type: 'timestamptz', nullable: true })
  lastDeliveryAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
