import { Client } from 'pg';
import { SocketEpoch, SocketRecorder } from './socket-recorder';

/** A ledger entry and when its transaction committed (or, without commit timestamps, began). */
export interface CommittedChange {
  id: string;
  userId: string;
  committedAt: number;
}

/**
 * The ledger entries of `userIds`. `commit` reads each entry's commit time (the server needs
 * track_commit_timestamp, as startOwnPostgres sets); `created` its transaction's start, for
 * servers without it, where the test needs no more than "after this moment".
 */
export async function committedChanges(db: Client, userIds: string[], clock: 'commit' | 'created' = 'commit'): Promise<CommittedChange[]> {
  const at = clock === 'commit' ? 'pg_xact_commit_timestamp(xmin)' : 'created_at';
  const { rows } = await db.query<{ id: string; user_id: string; committed_at: number }>(
    `SELECT id, user_id, extract(epoch FROM ${at}) * 1000 AS committed_at
       FROM point_transactions WHERE user_id = ANY($1::uuid[]) ORDER BY 3, created_at, id`,
    [userIds],
  );
  return rows.map((r) => ({ id: r.id, userId: r.user_id, committedAt: Number(r.committed_at) }));
}

export interface CoverageRule {
  /** How soon after a lost event a reset (another `resync` or a disconnect) excuses it. */
  graceMs: number;
  /** A connection counts from its `resync` (default) or, where the test waited for it otherwise, from its connect. */
  liveFrom?: 'resync' | 'connect';
  /** Only changes committed after this time (ms) count. */
  since?: number;
}

/**
 * The changes of the recorder's user that its client must have been told about: committed while
 * it was connected and had its `resync`, and not followed within `graceMs` by a reset that tells
 * the client to fetch again anyway.
 */
export function requiredChanges(recorder: SocketRecorder, changes: CommittedChange[], rule: CoverageRule): CommittedChange[] {
  const resets = [...recorder.resyncs, ...recorder.epochs.flatMap((e) => (e.disconnectedAt === undefined ? [] : [e.disconnectedAt]))];
  const liveAt = (e: SocketEpoch) => (rule.liveFrom === 'connect' ? e.connectedAt : e.resyncAt);
  return changes.filter((c) => {
    if (c.userId !== recorder.userId || c.committedAt <= (rule.since ?? -Infinity)) return false;
    const live = recorder.epochs.some((e) => {
      const from = liveAt(e);
      return from !== undefined && from <= c.committedAt && (e.disconnectedAt ?? Infinity) > c.committedAt;
    });
    return live && !resets.some((r) => r > c.committedAt && r <= c.committedAt + rule.graceMs);
  });
}

export interface CoverageReport {
  name: string;
  connections: number;
  /** Connections that lasted over 2 s, or are still open, without a `resync`. */
  connectionsWithoutResync: number;
  received: number;
  required: number;
  missing: CommittedChange[];
  /** Events naming no committed entry of that user. */
  phantom: string[];
  /** The same change announced twice to one client. */
  duplicated: string[];
  withoutSeqOrDebt: number;
}

export function coverage(recorder: SocketRecorder, changes: CommittedChange[], rule: CoverageRule): CoverageReport {
  const required = requiredChanges(recorder, changes, rule);
  const received = new Map<string, number>();
  for (const u of recorder.updates) received.set(u.transactionId, (received.get(u.transactionId) ?? 0) + 1);
  const own = new Set(changes.filter((c) => c.userId === recorder.userId).map((c) => c.id));
  return {
    name: recorder.name,
    connections: recorder.epochs.length,
    connectionsWithoutResync: recorder.epochs.filter(
      (e) => e.resyncAt === undefined && (e.disconnectedAt === undefined || e.disconnectedAt - e.connectedAt > 2_000),
    ).length,
    received: recorder.updates.length,
    required: required.length,
    missing: required.filter((c) => !received.has(c.id)),
    phantom: [...received.keys()].filter((id) => !own.has(id)),
    duplicated: [...received].filter(([, n]) => n > 1).map(([id]) => id),
    withoutSeqOrDebt: recorder.updates.filter((u) => typeof u.seq !== 'number' || typeof u.payload.debt !== 'number').length,
  };
}

/**
 * Pairs of a user's changes, in commit order, whose `seq` (as any of its clients received it)
 * does not grow: `seq` must order a user's events the way they committed.
 */
export function seqOutOfOrder(recorders: SocketRecorder[], changes: CommittedChange[], userId: string): Array<[string, string]> {
  const seqOf = new Map<string, number>();
  for (const r of recorders.filter((x) => x.userId === userId)) {
    for (const u of r.updates) if (typeof u.seq === 'number') seqOf.set(u.transactionId, u.seq);
  }
  const ordered = changes.filter((c) => c.userId === userId && seqOf.has(c.id)).sort((a, b) => a.committedAt - b.committedAt);
  const bad: Array<[string, string]> = [];
  for (let i = 1; i < ordered.length; i++) {
    if (seqOf.get(ordered[i].id)! <= seqOf.get(ordered[i - 1].id)!) bad.push([ordered[i - 1].id, ordered[i].id]);
  }
  return bad;
}
