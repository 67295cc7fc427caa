import { DataSource, EntityManager, QueryRunner } from 'typeorm';
import { CommonErrorCode, CommonException } from '../common/errors/common.exception';

export interface SerializableOptions {
  /** Attempts in all, the first included. */
  maxAttempts?: number;
  /** Back-off before retry n is a random delay in [0, min(maxDelayMs, baseDelayMs * 2^n)). */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /**
   * What the work contends on (e.g. the user whose balance it moves). This process runs the
   * transactions of one key one at a time: callers piling onto one hot row queue up instead of
   * aborting each other until they give up. Other instances still meet through retries.
   */
  contentionKey?: string;
}

const DEFAULTS = { maxAttempts: 40, baseDelayMs: 2, maxDelayMs: 100 };

/** SQLSTATEs after which re-running the whole transaction is correct: serialization failure, deadlock. */
const RETRYABLE = new Set(['40001', '40P01']);

/** Process-wide counters, read by the benchmark and tests. */
export const serializableStats = { retries: 0, exhausted: 0 };

export function isRetryableError(error: unknown): boolean {
  const e = error as { code?: unknown; driverError?: { code?: unknown } } | null;
  const code = e?.driverError?.code ?? e?.code;
  return typeof code === 'string' && RETRYABLE.has(code);
}

/**
 * Runs `work` in one SERIALIZABLE transaction and re-runs all of it after a serialization
 * failure or deadlock. `work` may run several times, so it must have no effect outside the
 * database (no socket emits, mails or HTTP calls). Writes use UnitOfWork, which runs this and
 * hands what the work recorded to its sinks.
 */
export async function runSerializable<T>(
  dataSource: DataSource,
  work: (manager: EntityManager) => Promise<T>,
  options: SerializableOptions = {},
): Promise<T> {
  const { maxAttempts, baseDelayMs, maxDelayMs, contentionKey } = { ...DEFAULTS, ...options };
  const once = () => inSerializableTransaction(dataSource, work);
  for (let attempt = 1; ; attempt++) {
    try {
      return await (contentionKey === undefined ? once() : oneAtATime(dataSource, contentionKey, once));
    } catch (error) {
      if (!isRetryableError(error)) throw error;
      if (attempt >= maxAttempts) {
        serializableStats.exhausted++;
        throw new CommonException(CommonErrorCode.SERVICE_UNAVAILABLE, 'Too many concurrent changes; retry shortly', {
          'Retry-After': '1',
        });
      }
      serializableStats.retries++;
      const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** attempt);
      await sleep(Math.random() * ceiling);
    }
  }
}

async function inSerializableTransaction<T>(dataSource: DataSource, work: (manager: EntityManager) => Promise<T>): Promise<T> {
  const runner = oneRoundTripBegin(dataSource.createQueryRunner());
  try {
    await runner.connect();
    await runner.startTransaction('SERIALIZABLE');
    const result = await work(runner.manager);
    await runner.commitTransaction();
    return result;
  } catch (error) {
    if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
    throw error;
  } finally {
    await runner.release();
  }
}

/**
 * TypeORM opens a transaction with START TRANSACTION and then SET TRANSACTION ISOLATION LEVEL:
 * two round trips. This runner sends them as one statement, keeping TypeORM's own bookkeeping.
 */
function oneRoundTripBegin(runner: QueryRunner): QueryRunner {
  const query = runner.query.bind(runner);
  runner.query = ((sql: string, ...rest: unknown[]) => {
    if (sql === 'START TRANSACTION') return query('START TRANSACTION ISOLATION LEVEL SERIALIZABLE');
    if (sql === 'SET TRANSACTION ISOLATION LEVEL SERIALIZABLE') return Promise.resolve([]);
    return (query as (...args: unknown[]) => Promise<unknown>)(sql, ...rest);
  }) as QueryRunner['query'];
  return runner;
}

/** Per connection pool (one per app instance): a FIFO of transactions per contention key. */
const keyQueues = new WeakMap<DataSource, Map<string, Promise<unknown>>>();

/** Runs `fn` after every earlier call for the same key on this pool has settled. */
function oneAtATime<T>(dataSource: DataSource, key: string, fn: () => Promise<T>): Promise<T> {
  let queues = keyQueues.get(dataSource);
  if (!queues) keyQueues.set(dataSource, (queues = new Map()));
  const run = (queues.get(key) ?? Promise.resolve()).then(fn, fn);
  const tail = run.catch(() => undefined);
  queues.set(key, tail);
  void tail.then(() => {
    if (queues.get(key) === tail) queues.delete(key);
  });
  return run;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
