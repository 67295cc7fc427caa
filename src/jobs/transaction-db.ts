import type PgBoss from 'pg-boss';
import { EntityManager } from 'typeorm';

/**
 * Lets pg-boss write through a TypeORM transaction, so a job is enqueued with
 * the change that causes it: both commit, or neither.
 */
export function transactionDb(manager: EntityManager): PgBoss.Db {
  const runner = manager.queryRunner;
  if (!runner?.isTransactionActive) throw new Error('transactionDb needs an EntityManager inside a transaction');
  return {
    executeSql: async (text, values) => {
      const result = await runner.query(text, values, true);
      return { rows: result.records ?? [] };
    },
  };
}
