import { EntityManager } from 'typeorm';
import { Tx } from '../../src/database/unit-of-work';
import { DomainEvent } from '../../src/notifications/realtime-events';

/** A Tx over a test's own transaction that keeps the domain events it records, for the test to inspect. */
export function recordingTx(manager: EntityManager): Tx & { events: DomainEvent[] } {
  const events: DomainEvent[] = [];
  return {
    manager,
    events,
    record: (kind, ...items) => {
      if (kind === 'domain-event') events.push(...(items as DomainEvent[]));
    },
    afterCommit: () => undefined,
  };
}
