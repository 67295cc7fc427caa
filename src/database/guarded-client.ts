import { Client } from 'pg';

/**
 * A pg Client that always has an `error` listener. pg-pool listens only while a client is idle and
 * TypeORM only until it releases a failed runner, so a second error on a dropped connection (a
 * database restart mid-transaction) would otherwise be an unhandled 'error' event that exits the
 * process. The query or pool that the failure concerns still reports it; this one only absorbs it.
 */
export class GuardedClient extends Client {
  constructor(...args: ConstructorParameters<typeof Client>) {
    super(...args);
    this.on('error', () => undefined);
  }
}
