import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { cursorTimeSql, ListCursor } from '../common/pagination/list-cursor';

export interface AuditRowInput {
  actorId: string | null;
  action: string;
  targetType: string;
  targetId: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  details: Record<string, unknown>;
  requestId: string | null;
}

export interface AuditRow extends AuditRowInput {
  id: string;
  at: Date;
  cursorAt: string;
}

/** SQL over `audit_log`; a plain class so that the CLI writes through it too. */
@Injectable()
export class AuditLogRepository {
  /** The rows in one statement, in the order given. */
  async insertMany(m: EntityManager, rows: AuditRowInput[]): Promise<void> {
    if (rows.length === 0) return;
    const json = (v: Record<string, unknown> | null) => (v === null ? null : JSON.stringify(v));
    await m.query(
      `INSERT INTO audit_log (actor_id, action, target_type, target_id, before, after, details, request_id)
       SELECT actor_id, action, target_type, target_id, before::jsonb, after::jsonb, details::jsonb, request_id
         FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[])
           WITH ORDINALITY AS r(actor_id, action, target_type, target_id, before, after, details, request_id, ord)
        ORDER BY ord`,
      [
        rows.map((r) => r.actorId),
        rows.map((r) => r.action),
        rows.map((r) => r.targetType),
        rows.map((r) => r.targetId),
        rows.map((r) => json(r.before)),
        rows.map((r) => json(r.after)),
        rows.map((r) => JSON.stringify(r.details)),
        rows.map((r) => r.requestId),
      ],
    );
  }

  /** Newest first, off the index that matches the filter given. */
  async page(
    m: EntityManager,
    opts: { action?: string; targetId?: string; limit: number; after?: ListCursor },
  ): Promise<AuditRow[]> {
    const rows = await m.query(
      `SELECT id, actor_id, action, target_type, target_id, before, after, details, request_id, created_at,
              ${cursorTimeSql('created_at')} AS cursor_at
         FROM audit_log
        WHERE ($1::text IS NULL OR action = $1)
          AND ($2::text IS NULL OR target_id = $2)
          AND ($3::timestamptz IS NULL OR (created_at, id) < ($3::timestamptz, $4::uuid))
        ORDER BY created_at DESC, id DESC
        LIMIT $5`,
      [opts.action ?? null, opts.targetId ?? null, opts.after?.createdAt ?? null, opts.after?.id ?? null, opts.limit],
    );
    return rows.map((r: Record<string, any>) => ({
      id: r.id,
      actorId: r.actor_id,
      action: r.action,
      targetType: r.target_type,
      targetId: r.target_id,
      before: r.before,
      after: r.after,
      details: r.details,
      requestId: r.request_id,
      at: new Date(r.created_at),
      cursorAt: r.cursor_at,
    }));
  }
}
