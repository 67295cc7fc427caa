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
    const [row] = await n.tx.manager.query(
      `INSERT INTO notifications (user_id, type, title, message) VALUES ($1, $2, $3, $4) RETURNING id, created_at`,
      [n.userId, n.type, n.title, n.message],
    );
    const event: DomainEvent<'new-notification'> = {
      userId: n.userId,
      event: 'new-notification',
      payload: { id: row.id, type: n.type, title: n.title, message: n.message, createdAt: new Date(row.created_at).toISOString() },
      ...(n.seq === undefined ? {} : { seq: n.seq }),
    };
    n.tx.record('domain-event', event);
    return event;
  }
}
