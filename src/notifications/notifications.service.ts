import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InTx } from '../database/unit-of-work';
import { DomainEvent } from './realtime-events';

export type NotificationType = 'level-reached' | 'level-down' | 'redemption-done' | 'referral-converted' | 'webhook-disabled' | 'points-expiring';

export interface NewNotification extends Required<InTx> {
  userId: string;
  /** The balance change the notification belongs to, if any (orders its event, DomainEvent.seq). */
  seq?: number;
  type: NotificationType;
  title: string;
  message: string;
}

/** Stores a notification in the caller's unit of work, which emits its `new-notification` event after commit. */
@Injectable()
export class NotificationsService {
  async create(n: NewNotification): Promise<DomainEvent<'new-notification'>> {
    return (await this.createMany(n.tx, [n]))[0];
  }

  /** Many notifications in one statement, in the order given, each with its event. */
  async createMany(tx: NewNotification['tx'], notifications: Array<Omit<NewNotification, 'tx'>>): Promise<Array<DomainEvent<'new-notification'>>> {
    if (notifications.length === 0) return [];
    const ids = notifications.map(() => randomUUID());
    const rows: Array<{ id: string; created_at: Date }> = await tx.manager.query(
      `INSERT INTO notifications (id, user_id, type, title, message)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::varchar[], $4::varchar[], $5::varchar[])
       RETURNING id, created_at`,
      [ids, notifications.map((n) => n.userId), notifications.map((n) => n.type), notifications.map((n) => n.title), notifications.map((n) => n.message)],
    );
    const createdAt = new Map(rows.map((r) => [r.id, new Date(r.created_at).toISOString()]));
    return notifications.map((n, i) => {
      const event: DomainEvent<'new-notification'> = {
        userId: n.userId,
        event: 'new-notification',
        payload: { id: ids[i], type: n.type, title: n.title, message: n.message, createdAt: createdAt.get(ids[i])! },
        ...(n.seq === undefined ? {} : { seq: n.seq }),
      };
      tx.record('domain-event', event);
      return event;
    });
  }
}
