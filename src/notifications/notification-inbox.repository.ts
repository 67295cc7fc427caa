import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { cursorTimeSql, ListCursor } from '../common/pagination/list-cursor';

export interface InboxRow {
  id: string;
  type: string;
  title: string;
  message: string;
  createdAt: Date;
  readAt: Date | null;
  cursorAt: string;
}

/** Reads and read marks of a user's stored notifications; every statement is scoped to that user. */
@Injectable()
export class NotificationInboxRepository {
  constructor(private readonly db: DataSource) {}

  /** Newest first off notifications_user_idx, or notifications_unread_idx for unread ones. */
  async page(userId: string, opts: { unreadOnly: boolean; limit: number; after?: ListCursor }): Promise<InboxRow[]> {
    const rows = await this.db.query(
      `SELECT id, type, title, message, created_at, read_at, ${cursorTimeSql('created_at')} AS cursor_at
         FROM notifications
        WHERE user_id = $1
          AND ${opts.unreadOnly ? 'read_at IS NULL' : 'true'}
          AND ($2::timestamptz IS NULL OR (created_at, id) < ($2::timestamptz, $3::uuid))
        ORDER BY created_at DESC, id DESC
        LIMIT $4`,
      [userId, opts.after?.createdAt ?? null, opts.after?.id ?? null, opts.limit],
    );
    return rows.map((r: Record<string, any>) => ({
      id: r.id,
      type: r.type,
      title: r.title,
      message: r.message,
      createdAt: new Date(r.created_at),
      readAt: r.read_at ? new Date(r.read_at) : null,
      cursorAt: r.cursor_at,
    }));
  }

  async unreadCount(userId: string): Promise<number> {
    const [row] = await this.db.query(`SELECT count(*)::int AS n FROM notifications WHERE user_id = $1 AND read_at IS NULL`, [userId]);
    return row.n;
  }

  /** Marks one of the user's notifications read (keeping the first read time); false when the user has none with this id. */
  async markRead(userId: string, id: string): Promise<boolean> {
    const [row] = await this.db.query(
      `WITH marked AS (
         UPDATE notifications SET read_at = now() WHERE id = $2 AND user_id = $1 AND read_at IS NULL RETURNING id
       )
       SELECT EXISTS (SELECT 1 FROM marked) OR EXISTS (SELECT 1 FROM notifications WHERE id = $2 AND user_id = $1) AS found`,
      [userId, id],
    );
    return row.found;
  }

  async markAllRead(userId: string): Promise<void> {
    await this.db.query(`UPDATE notifications SET read_at = now() WHERE user_id = $1 AND read_at IS NULL`, [userId]);
  }
}
