import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '../common/clock';
import { WebhookEventInput } from '../common/events/outbound-events';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { InTx, Tx, UnitOfWork } from '../database/unit-of-work';
import { ledgerBatchSize, ledgerWrites } from '../metrics/metrics';
import { AppException } from '../common/errors/app.exception';
import { GroupCommit, ItemOutcome } from '../database/group-commit';
import { LedgerBatchRepository } from './ledger-batch.repository';
import { NotificationsService } from '../notifications/notifications.service';
import { PointSource } from './entities/point-transaction.entity';
import { Balances, EntryInput, LedgerEntry, PointsLedgerRepository, WriteOutcome, WriteTerms } from './points-ledger.repository';
import { windowStart } from './level-window';
import { PointsErrorCode, PointsException } from './points.exception';
import { isUuid } from '../common/uuid';
import { MAX_AMOUNT } from '../common/limits';

type Metadata = Record<string, unknown>;

export type PointsError = InstanceType<typeof PointsException>;

/** A standalone write waiting for the group commit. */
interface PendingWrite {
  input: EntryInput;
  o: { purchaseId?: string; redemptionId?: string; alongside?: EntryOptions['alongside'] };
}

/** Attempts of a batch of several writes before it is split (a lone write keeps the unit's default). */
const BATCH_ATTEMPTS = 4;
/** Past this many entries a batch's predicate locks outgrow SSI's per-relation limit and turn coarse. */
const MAX_BATCH = 32;

interface EntryOptions extends InTx {
  userId: string;
  amount: number;
  source: PointSource;
  /** For people reading the ledger; never queried. */
  metadata?: Metadata;
  idempotencyKey: string;
  description?: string;
  /** The purchase the entry belongs to, named in its outbound event. */
  purchaseId?: string;
  /**
   * Work that commits with the entry, once it is written (an audit row); for a standalone write,
   * in its batch's transaction. Its failure fails the batch, which is split until only its own
   * write is rolled back with it.
   */
  alongside?: (tx: Tx, result: LedgerResult) => Promise<void>;
}

export interface AddPointsOptions extends EntryOptions {
  type?: 'earn' | 'refund';
  /** Writes a `pending` entry: counted in points_pending, not spendable, not in total until released. */
  hold?: boolean;
}

export interface SpendOptions extends EntryOptions {
  type?: 'spend' | 'expire';
  /** The redemption the spend pays for, named in its outbound event. */
  redemptionId?: string;
}

export interface SettleOptions extends InTx {
  /** The key of the held entry. */
  idempotencyKey: string;
  purchaseId?: string;
}

export interface ExpireOptions extends InTx {
  userId: string;
  /** The run's time: lots due at or before it expire. */
  at: Date;
}

export interface LedgerResult {
  transaction: LedgerEntry;
  /** True when the idempotency key had been used: nothing changed, no event was recorded. */
  duplicate: boolean;
  /** The balances after this change; null for a duplicate. */
  balances: Balances | null;
}

/**
 * The only writer of point balances. Each method is one operation: in the caller's unit of work
 * when it passes `tx`, else in its own SERIALIZABLE one (queued behind other changes of the same
 * user on this instance). Events are recorded in the unit and emitted after its commit.
 */
@Injectable()
export class PointsService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly ledger: PointsLedgerRepository,
    private readonly batchLedger: LedgerBatchRepository,
    private readonly notifications: NotificationsService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  private readonly groupCommit = new GroupCommit<PendingWrite, LedgerResult>((batch) => this.writeBatch(batch), { maxBatch: MAX_BATCH });

  /** Expires the user's lots due at `at` as one 'expire' entry (source 'system'); null when none were due. */
  async expireDue(o: ExpireOptions): Promise<LedgerResult | null> {
    return this.uow.within(
      o.tx,
      async (tx) => {
        const key = `expire:${o.userId}:${o.at.toISOString()}`;
        const outcome = await this.ledger.expireLots(tx.manager, { userId: o.userId, at: o.at, idempotencyKey: key });
        if (!outcome.entry) return null;
        tx.afterCommit(() => ledgerWrites.inc({ type: 'expire' }));
        return this.changed(tx, outcome, outcome.entry.amount);
      },
      { contentionKey: o.userId },
    );
  }

  private terms(): WriteTerms {
    const now = this.clock.now();
    const months = this.config.levelWindowMonths;
    return { now, days: this.config.pointsExpiry.days, windowFrom: months > 0 ? windowStart(now, months) : null };
  }

  async addPoints(o: AddPointsOptions): Promise<LedgerResult> {
    return this.write(o, this.creditInput(o));
  }

  private creditInput(o: Omit<AddPointsOptions, 'tx'>): EntryInput {
    checkAmount(o.amount);
    const type = o.type ?? 'earn';
    const hold = o.hold ?? false;
    return entryInput(o, {
      type,
      amount: o.amount,
      status: hold ? 'pending' : 'posted',
      totalDelta: !hold && type === 'earn' ? o.amount : 0,
      allowDebt: false,
      includeClosed: false,
    });
  }

  async spend(o: SpendOptions): Promise<LedgerResult> {
    checkAmount(o.amount);
    return this.write(o, entryInput(o, { type: o.type ?? 'spend', amount: -o.amount, status: 'posted', totalDelta: 0, allowDebt: false, includeClosed: false }));
  }

  /**
   * Writes many credits in the caller's unit of work, in order, as set-based statements: each keeps
   * its own key and outcome (a missing user or a key of another entry fails alone, as an exception
   * in its place; the rest are written).
   */
  async addPointsMany(o: { tx: Tx; awards: Array<Omit<AddPointsOptions, 'tx'>> }): Promise<Array<LedgerResult | PointsError>> {
    const inputs = o.awards.map((award) => settledSync(() => this.creditInput(award)));
    const valid = inputs.flatMap((input) => (input instanceof PointsException ? [] : [input]));
    const outcomes = valid.length === 0 ? [] : await this.batchLedger.writeEntries(o.tx.manager, valid, this.terms());
    if (valid.length > 0) o.tx.afterCommit(() => ledgerBatchSize.observe(valid.length));
    const results: Array<LedgerResult | PointsError> = [];
    let next = 0;
    for (const [i, input] of inputs.entries()) {
      if (input instanceof PointsException) results.push(input);
      else results.push(await settledAsync(() => this.resultOf(o.tx, input, outcomes[next++], o.awards[i])));
    }
    return results;
  }

  /** Takes back an award; more than is available leaves a debt, and it reaches closed accounts too. */
  async clawback(o: EntryOptions): Promise<LedgerResult> {
    checkAmount(o.amount);
    return this.write(o, entryInput(o, { type: 'clawback', amount: -o.amount, status: 'posted', totalDelta: -o.amount, allowDebt: true, includeClosed: true }));
  }

  /** Moves a held entry into available (settling debt first) and total; repeating it changes nothing. */
  releasePending(o: SettleOptions): Promise<LedgerResult> {
    return this.settle(o, 'posted');
  }

  /** Cancels a held entry: it leaves points_pending and never becomes spendable. */
  voidPending(o: SettleOptions): Promise<LedgerResult> {
    return this.settle(o, 'voided');
  }

  private async settle(o: SettleOptions, to: 'posted' | 'voided'): Promise<LedgerResult> {
    checkKey(o.idempotencyKey);
    return this.uow.within(o.tx, async (tx) => {
      const outcome = await this.ledger.settlePending(tx.manager, o.idempotencyKey, to, this.terms());
      if (!outcome.existing) throw new PointsException(PointsErrorCode.TRANSACTION_NOT_FOUND, 'No ledger entry has this idempotency key');
      if (!outcome.entry) {
        if (outcome.existing.status === to) return { transaction: outcome.existing, duplicate: true, balances: null };
        throw new PointsException(PointsErrorCode.TRANSACTION_NOT_PENDING, `The entry is ${outcome.existing.status}, not pending`);
      }
      const delta = to === 'posted' ? outcome.entry.amount : -outcome.entry.amount;
      return this.changed(tx, outcome, delta, o.purchaseId);
    });
  }

  /** In the caller's unit when it passes one; else with the writes that arrive meanwhile (group commit). */
  private async write(o: EntryOptions & { redemptionId?: string }, input: EntryInput): Promise<LedgerResult> {
    if (!o.tx) return this.groupCommit.submit({ input, o });
    const result = await this.resultOf(o.tx, input, await this.ledger.writeEntry(o.tx.manager, input, this.terms()), o);
    await o.alongside?.(o.tx, result);
    return result;
  }

  /**
   * One SERIALIZABLE unit for the batch: one entry by the one-entry statement, more by the
   * set-based one. Each entry's refusal is its own; a batch that keeps conflicting gives up after a
   * few attempts and is split by the group commit.
   */
  private writeBatch(batch: PendingWrite[]): Promise<Array<ItemOutcome<LedgerResult>>> {
    const inputs = batch.map((b) => b.input);
    const options = batch.length === 1 ? { contentionKey: inputs[0].userId } : { maxAttempts: BATCH_ATTEMPTS };
    return this.uow.run(async (tx) => {
      const terms = this.terms();
      const outcomes = batch.length === 1 ? [await this.ledger.writeEntry(tx.manager, inputs[0], terms)] : await this.batchLedger.writeEntries(tx.manager, inputs, terms);
      tx.afterCommit(() => ledgerBatchSize.observe(batch.length));
      const results: Array<ItemOutcome<LedgerResult>> = [];
      for (const [i, b] of batch.entries()) {
        const result = await settledAsync(() => this.resultOf(tx, b.input, outcomes[i], b.o));
        if (!(result instanceof AppException)) await b.o.alongside?.(tx, result);
        results.push(result instanceof AppException ? { ok: false, error: result } : { ok: true, value: result });
      }
      return results;
    }, options);
  }

  /** What a written (or refused) entry answers its caller, with its events recorded in `tx`. */
  private async resultOf(tx: Tx, input: EntryInput, outcome: WriteOutcome, o: { purchaseId?: string; redemptionId?: string }): Promise<LedgerResult> {
    if (outcome.existing) {
      if (outcome.existing.userId !== input.userId || outcome.existing.type !== input.type) {
        throw new PointsException(PointsErrorCode.IDEMPOTENCY_KEY_CONFLICT, 'This idempotency key belongs to another ledger entry');
      }
      return { transaction: outcome.existing, duplicate: true, balances: null };
    }
    if (!outcome.before) throw new PointsException(PointsErrorCode.USER_NOT_FOUND, 'No such user');
    if (!outcome.entry) {
      throw new PointsException(PointsErrorCode.INSUFFICIENT_POINTS, `Only ${outcome.before.available} points are available`);
    }
    const type = input.type;
    tx.afterCommit(() => ledgerWrites.inc({ type }));
    return this.changed(tx, outcome, outcome.entry.amount, o.purchaseId, o.redemptionId);
  }

  /** Records the events of a change; a level reached is also stored as a notification. */
  private async changed(tx: Tx, outcome: WriteOutcome, delta: number, purchaseId?: string, redemptionId?: string): Promise<LedgerResult> {
    const entry = outcome.entry!;
    const before = outcome.before!;
    const after = outcome.after!;
    const userId = entry.userId;
    const { seq } = after;
    tx.record('domain-event', {
      userId,
      seq,
      event: 'points-updated',
      payload: { available: after.available, total: after.total, pending: after.pending, debt: after.debt, delta, transactionId: entry.id, seq },
    });
    const webhook = outboundEventOf(entry, delta, before, after, purchaseId ?? null, redemptionId ?? null);
    if (webhook) tx.record('webhook-event', webhook);
    if (after.level !== before.level) {
      tx.record('webhook-event', {
        type: 'level.changed',
        data: {
          userId,
          previousLevel: before.level,
          level: after.level,
          levelName: outcome.levelName ?? `Level ${after.level}`,
          direction: after.level > before.level ? 'up' : 'down',
        },
      });
    }
    if (after.level > before.level) {
      const levelName = outcome.levelName ?? `Level ${after.level}`;
      tx.record('domain-event', { userId, seq, event: 'level-up', payload: { userId, previousLevel: before.level, level: after.level, levelName } });
      await this.notifications.create({
        tx,
        seq,
        userId,
        type: 'level-reached',
        title: `${levelName} reached`,
        message: `You reached level ${after.level} (${levelName}) with ${after.total} points.`,
      });
    }
    return { transaction: entry, duplicate: false, balances: after };
  }
}

/**
 * A move of points as the product's other systems see it (API.md, Outbound webhooks): a credit is
 * earned when written (held: `pending`) and again when released (`posted`); a void moves nothing.
 */
function outboundEventOf(
  entry: LedgerEntry,
  delta: number,
  before: Balances,
  after: Balances,
  purchaseId: string | null,
  redemptionId: string | null,
): WebhookEventInput | null {
  const balanceAfter = { total: after.total, available: after.available, pending: after.pending, debt: after.debt };
  const moved = { userId: entry.userId, transactionId: entry.id, amount: entry.amount, balanceAfter };
  switch (entry.type) {
    case 'earn':
    case 'refund':
      if (entry.status === 'voided' || delta <= 0) return null;
      return { type: 'points.earned', data: { ...moved, source: entry.source, status: entry.status === 'pending' ? 'pending' : 'posted', purchaseId } };
    case 'spend':
      return { type: 'points.spent', data: { ...moved, source: entry.source, redemptionId } };
    case 'expire':
      // The expiry job's run time (its clock), which can differ from when the row was written.
      return { type: 'points.expired', data: { ...moved, expiredAt: typeof entry.metadata.expiredAt === 'string' ? entry.metadata.expiredAt : entry.createdAt.toISOString() } };
    case 'clawback':
      return { type: 'points.clawed_back', data: { ...moved, purchaseId, debtAdded: Math.max(after.debt - before.debt, 0) } };
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

function entryInput(o: Omit<EntryOptions, 'tx'>, entry: Omit<EntryInput, 'userId' | 'source' | 'metadata' | 'idempotencyKey' | 'description'>): EntryInput {
  checkKey(o.idempotencyKey);
  if (!isUuid(o.userId)) throw new PointsException(PointsErrorCode.USER_NOT_FOUND, 'No such user');
  return { ...entry, userId: o.userId, source: o.source, metadata: o.metadata ?? {}, idempotencyKey: o.idempotencyKey, description: o.description ?? null };
}

/** The value, or the points error it threw; any other error still throws. */
function settledSync<T>(fn: () => T): T | PointsError {
  try {
    return fn();
  } catch (error) {
    if (error instanceof PointsException) return error;
    throw error;
  }
}

async function settledAsync<T>(fn: () => Promise<T>): Promise<T | PointsError> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof PointsException) return error;
    throw error;
  }
}
