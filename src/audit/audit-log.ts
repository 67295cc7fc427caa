import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Tx } from '../database/unit-of-work';
import { AuditAction, AuditTargetType } from './audit-actions';
import { AuditLogRepository, AuditRowInput } from './audit-log.repository';

/** An admin acting over HTTP (with the request id of that call), or the command line. */
export type AuditActor = { id: string; requestId?: string } | 'cli';

export interface AuditEntry {
  actor: AuditActor;
  action: AuditAction;
  targetType: AuditTargetType;
  targetId: string;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
  /** What the action carried beyond the target's state: an amount, a reason, a reviewer's note. */
  details?: Record<string, unknown>;
}

declare module '../database/unit-of-work' {
  interface RecordedEffects {
    /** Written before commit, every row of the unit in one statement (AuditSink). */
    'audit-entry': AuditEntry;
  }
}

/**
 * Writes an audit row with the caller's manager, so that it commits or rolls back with the
 * action it records: an action is never logged without happening, nor done without its row.
 */
@Injectable()
export class AuditLog {
  constructor(private readonly repository: AuditLogRepository = new AuditLogRepository()) {}

  async record(manager: EntityManager, entry: AuditEntry): Promise<void> {
    await this.recordMany(manager, [entry]);
  }

  /**
   * Keeps the row in the unit of work: it is written just before the unit commits, with every
   * other row the unit kept, in one statement (a ledger batch's entries each log one).
   */
  recordAtCommit(tx: Tx, entry: AuditEntry): void {
    tx.record('audit-entry', entry);
  }

  async recordMany(manager: EntityManager, entries: AuditEntry[]): Promise<void> {
    await this.repository.insertMany(manager, entries.map(rowOf));
  }
}

function rowOf(entry: AuditEntry): AuditRowInput {
  const actor = entry.actor === 'cli' ? null : entry.actor;
  return {
    actorId: actor?.id ?? null,
    action: entry.action,
    targetType: entry.targetType,
    targetId: entry.targetId,
    before: entry.before ?? null,
    after: entry.after ?? null,
    details: entry.details ?? {},
    requestId: actor?.requestId ?? null,
  };
}
