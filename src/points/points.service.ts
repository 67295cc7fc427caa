import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { afterCommit, runSerializable } from '../database/serializable';
import { ledgerWrites } from '../metrics/metrics';
import { NotificationsService } from '../notifications/notifications.service';
import { DomainEvent } from '../notifications/realtime-events';
import { RealtimeService } from '../notifications/realtime.service';
import { PointSource } from './entities/point-transaction.entity';
import { Balances, EntryInput, LedgerEntry, PointsLedgerRepository, WriteOutcome } from './points-ledger.repository';
import { PointsErrorCode, PointsException } from './points.exception';
import { isUuid } from '../common/uuid';
import { MAX_AMOUNT } from '../common/limits';

export type Metadata = Record<string, unknown>;

export interface AddPointsOptions {
  type?: 'earn' | 'refund';
  description?: string;
  /** Writes a `pending` entry: counted in points_pending, not spendable, not in total until released. */
  hold?: boolean;
}

export interface LedgerResult {
  transaction: LedgerEntry;
  /** True when the idempotency key had been used: nothing changed, no event was published. */
  duplicate: boolean;
  /** The balances after this change; null for a duplicate. */
  balances: Balances | null;
  /** Events to publish after commit (already published by the methods that run their own transaction). */
  events: DomainEvent[];
}

/**
 * The only writer of point balances. Each public method is one SERIALIZABLE transaction,
 * retried as a whole on conflicts, and publishes its events once after commit. The `*In`
 * variants run inside a caller's transaction and leave publishing to the caller.
 */
@Injectable()
export class PointsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly ledger: PointsLedgerRepository,
    private readonly notifications: NotificationsService,
    private readonly realtime: RealtimeService,
  ) {}

  addPoints(
    userId: string,
    amount: number,
    source: PointSource,
    metadata: Metadata,
    idempotencyKey: string,
    options: AddPointsOptions = {},
  ): Promise<LedgerResult> {
    return this.commit((m) => this.addPointsIn(m, userId, amount, source, metadata, idempotencyKey, options), userId);
  }

  spend(
    userId: string,
    amount: number,
    source: PointSource,
    metadata: Metadata,
    idempotencyKey: string,
    type: 'spend' | 'expire' = 'spend',
    description?: string,
  ): Promise<LedgerResult> {
    return this.commit((m) => this.spendIn(m, userId, amount, source, metadata, idempotencyKey, type, description), userId);
  }

  clawback(
    userId: string,
    amount: number,
    source: PointSource,
    metadata: Metadata,
    idempotencyKey: string,
    description?: string,
  ): Promise<LedgerResult> {
    return this.commit((m) => this.clawbackIn(m, userId, amount, source, metadata, idempotencyKey, description), userId);
  }

  /** Moves a held entry into available (settling debt first) and total; repeating it changes nothing. */
  releasePending(idempotencyKey: string): Promise<LedgerResult> {
    return this.commit((m) => this.settleIn(m, idempotencyKey, 'posted'));
  }

  /** Cancels a held entry: it leaves points_pending and never becomes spendable. */
  voidPending(idempotencyKey: string): Promise<LedgerResult> {
    return this.commit((m) => this.settleIn(m, idempotencyKey, 'voided'));
  }

  async addPointsIn(
    m: EntityManager,
    userId: string,
    amount: number,
    source: PointSource,
    metadata: Metadata,
    idempotencyKey: string,
    options: AddPointsOptions = {},
  ): Promise<LedgerResult> {
    checkAmount(amount);
    const type = options.type ?? 'earn';
    const hold = options.hold ?? false;
    return this.write(m, {
      userId, type, amount, source, metadata, idempotencyKey,
      status: hold ? 'pending' : 'posted',
      description: options.description ?? null,
      totalDelta: !hold && type === 'earn' ? amount : 0,
      allowDebt: false,
      includeClosed: false,
    });
  }

  async spendIn(
    m: EntityManager,
    userId: string,
    amount: number,
    source: PointSource,
    metadata: Metadata,
    idempotencyKey: string,
    type: 'spend' | 'expire' = 'spend',
    description?: string,
  ): Promise<LedgerResult> {
    checkAmount(amount);
    return this.write(m, {
      userId, type, amount: -amount, source, metadata, idempotencyKey,
      status: 'posted', description: description ?? null, totalDelta: 0, allowDebt: false, includeClosed: false,
    });
  }

  async clawbackIn(
    m: EntityManager,
    userId: string,
    amount: number,
    source: PointSource,
    metadata: Metadata,
    idempotencyKey: string,
    description?: string,
  ): Promise<LedgerResult> {
    checkAmount(amount);
    return this.write(m, {
      userId, type: 'clawback', amount: -amount, source, metadata, idempotencyKey,
      status: 'posted', description: description ?? null, totalDelta: -amount, allowDebt: true, includeClosed: true,
    });
  }

  async settleIn(m: EntityManager, idempotencyKey: string, to: 'posted' | 'voided'): Promise<LedgerResult> {
    checkKey(idempotencyKey);
    const outcome = await this.ledger.settlePending(m, idempotencyKey, to);
    if (!outcome.existing) throw new PointsException(PointsErrorCode.TRANSACTION_NOT_FOUND, 'No ledger entry has this idempotency key');
    if (!outcome.entry) {
      if (outcome.existing.status === to) return { transaction: outcome.existing, duplicate: true, balances: null, events: [] };
      throw new PointsException(PointsErrorCode.TRANSACTION_NOT_PENDING, `The entry is ${outcome.existing.status}, not pending`);
    }
    const delta = to === 'posted' ? outcome.entry.amount : -outcome.entry.amount;
    return this.changed(m, outcome, delta);
  }

  /**
   * Runs `work` in its own SERIALIZABLE transaction and publishes its events after commit.
   * `userId` names the balance it moves, so that retries on one hot user queue up.
   */
  async commit<T extends { events: DomainEvent[] }>(work: (m: EntityManager) => Promise<T>, userId?: string): Promise<T> {
    const result = await runSerializable(this.dataSource, work, { contentionKey: userId });
    this.realtime.publish(result.events);
    return result;
  }

  private async write(m: EntityManager, input: EntryInput): Promise<LedgerResult> {
    checkKey(input.idempotencyKey);
    if (!isUuid(input.userId)) throw new PointsException(PointsErrorCode.USER_NOT_FOUND, 'No such user');
    const outcome = await this.ledger.writeEntry(m, input);
    if (outcome.existing) {
      if (outcome.existing.userId !== input.userId || outcome.existing.type !== input.type) {
        throw new PointsException(PointsErrorCode.IDEMPOTENCY_KEY_CONFLICT, 'This idempotency key belongs to another ledger entry');
      }
      return { transaction: outcome.existing, duplicate: true, balances: null, events: [] };
    }
    if (!outcome.before) throw new PointsException(PointsErrorCode.USER_NOT_FOUND, 'No such user');
    if (!outcome.entry) {
      throw new PointsException(PointsErrorCode.INSUFFICIENT_POINTS, `Only ${outcome.before.available} points are available`);
    }
    const type = input.type;
    afterCommit(m, () => ledgerWrites.inc({ type }));
    return this.changed(m, outcome, outcome.entry.amount);
  }

  /** Builds the events of a committed-to-be change; a level reached is also stored as a notification. */
  private async changed(m: EntityManager, outcome: WriteOutcome, delta: number): Promise<LedgerResult> {
    const entry = outcome.entry!;
    const before = outcome.before!;
    const after = outcome.after!;
    const userId = entry.userId;
    const { seq } = after;
    const events: DomainEvent[] = [
      {
        userId,
        seq,
        event: 'points-updated',
        payload: { available: after.available, total: after.total, pending: after.pending, debt: after.debt, delta, transactionId: entry.id, seq },
      },
    ];
    if (after.level > before.level) {
      const levelName = outcome.levelName ?? `Level ${after.level}`;
      events.push({ userId, seq, event: 'level-up', payload: { userId, previousLevel: before.level, level: after.level, levelName } });
      events.push({
        seq,
        ...(await this.notifications.create(m, {
          userId,
          type: 'level-reached',
          title: `${levelName} reached`,
          message: `You reached level ${after.level} (${levelName}) with ${after.total} points.`,
        })),
      });
    }
    return { transaction: entry, duplicate: false, balances: after, events };
  }
}

function checkAmount(amount: number): void {
  if (!Number.isSafeInteger(amount) || amount <= 0 || amount > MAX_AMOUNT) {
    throw new PointsException(PointsErrorCode.INVALID_AMOUNT, `The amount must be an integer from 1 to ${MAX_AMOUNT}`);
  }
}

function checkKey(key: string): void {
  if (typeof key !== 'string' || key.length === 0 || key.length > 255) {
    throw new PointsException(PointsErrorCode.INVALID_IDEMPOTENCY_KEY, 'An idempotency key of 1..255 characters is required');
  }
}
