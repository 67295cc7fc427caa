import { Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { runSerializable, SerializableOptions } from './serializable';

/**
 * What a unit of work can record, by kind. Each module that consumes a kind declares it by
 * augmenting this interface (`declare module '…/database/unit-of-work'`), so the database layer
 * knows no feature module and `record` is still typed.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface RecordedEffects {}

export type EffectKind = keyof RecordedEffects;

/** One attempt of a unit of work: its transaction and what it recorded. */
export interface Tx {
  readonly manager: EntityManager;
  /** Keeps `items` for the sink of `kind`: written before commit or emitted after it, once. */
  record<K extends EffectKind>(kind: K, ...items: RecordedEffects[K][]): void;
  /** Cheap synchronous bookkeeping (metrics) for after commit; never for an attempt rolled back. */
  afterCommit(hook: () => void): void;
}

/**
 * The consumer of one kind. `beforeCommit` runs inside the transaction, after the work, so what
 * it writes commits or rolls back with the work (an outbox). `afterCommit` runs once the
 * transaction has committed and must not throw (socket emits).
 */
export interface EffectSink<K extends EffectKind> {
  kind: K;
  beforeCommit?(manager: EntityManager, items: RecordedEffects[K][]): Promise<void>;
  afterCommit?(items: RecordedEffects[K][]): void;
}

export interface UnitOfWorkOptions extends SerializableOptions {
  /**
   * READ COMMITTED for work whose races the schema settles (unique constraints) and that must not
   * be re-run; it is not retried. The default is SERIALIZABLE with retries.
   */
  isolation?: 'SERIALIZABLE' | 'READ COMMITTED';
}

/** An operation that may join a caller's unit of work. */
export interface InTx {
  /** Runs the operation inside this unit of work instead of its own. */
  tx?: Tx;
}

class Attempt implements Tx {
  readonly recorded = new Map<EffectKind, unknown[]>();
  readonly hooks: Array<() => void> = [];

  constructor(readonly manager: EntityManager) {}

  record<K extends EffectKind>(kind: K, ...items: RecordedEffects[K][]): void {
    const list = this.recorded.get(kind);
    if (list) list.push(...items);
    else this.recorded.set(kind, [...items]);
  }

  afterCommit(hook: () => void): void {
    this.hooks.push(hook);
  }
}

/**
 * Runs writes: one transaction per call (SERIALIZABLE and retried as a whole by default), and the
 * effects the work recorded handed to their sinks — before commit inside it, or after commit
 * once. A retried attempt's effects are dropped with it.
 */
@Injectable()
export class UnitOfWork {
  private readonly logger = new Logger(UnitOfWork.name);
  private readonly sinks = new Map<EffectKind, EffectSink<EffectKind>>();

  constructor(private readonly dataSource: DataSource) {}

  addSink<K extends EffectKind>(sink: EffectSink<K>): void {
    if (this.sinks.has(sink.kind)) throw new Error(`a sink for ${String(sink.kind)} is already registered`);
    this.sinks.set(sink.kind, sink as unknown as EffectSink<EffectKind>);
  }

  async run<T>(work: (tx: Tx) => Promise<T>, options: UnitOfWorkOptions = {}): Promise<T> {
    let committed: Attempt | undefined;
    const attempt = async (manager: EntityManager): Promise<T> => {
      const tx = new Attempt(manager);
      const result = await work(tx);
      await this.flushBeforeCommit(tx);
      committed = tx;
      return result;
    };
    const { isolation = 'SERIALIZABLE', ...serializable } = options;
    const result =
      isolation === 'SERIALIZABLE'
        ? await runSerializable(this.dataSource, attempt, serializable)
        : await this.dataSource.transaction('READ COMMITTED', attempt);
    this.flushAfterCommit(committed!);
    return result;
  }

  /** Runs `work` in `tx` when the caller has one, else in a unit of work of its own. */
  within<T>(tx: Tx | undefined, work: (tx: Tx) => Promise<T>, options: UnitOfWorkOptions = {}): Promise<T> {
    return tx ? work(tx) : this.run(work, options);
  }

  private async flushBeforeCommit(tx: Attempt): Promise<void> {
    for (const [kind, items] of tx.recorded) {
      const sink = this.sinks.get(kind);
      if (sink?.beforeCommit && items.length > 0) await sink.beforeCommit(tx.manager, items as never[]);
    }
  }

  /** The work is committed: nothing here may turn it into an error the caller would retry. */
  private flushAfterCommit(tx: Attempt): void {
    for (const hook of tx.hooks) {
      try {
        hook();
      } catch (error) {
        this.logger.error({ err: error }, 'an after-commit hook failed; the change is committed');
      }
    }
    for (const [kind, items] of tx.recorded) {
      const sink = this.sinks.get(kind);
      if (!sink?.afterCommit || items.length === 0) continue;
      try {
        sink.afterCommit(items as never[]);
      } catch (error) {
        this.logger.error({ err: error, kind }, 'an after-commit sink failed; the change is committed');
      }
    }
  }
}
