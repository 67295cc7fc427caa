import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { DomainEvent } from './realtime-events';

export type NotificationType = 'level-reached' | 'redemption-done' | 'referral-converted' | 'webhook-disabled';

export interface NewNotification {
  userId: string;
  type: NotificationType;
  title: string;
  message: string;
}

/**
 * Stores a notification inside the caller's transaction and returns its `new-notification`
 * event, which the caller publishes after commit.
 */
@Injectable()
export class NotificationsService {
  async create(manager: EntityManager, n: NewNotification): Promise<DomainEvent<'new-notification'>> {
    const [row] = await manager.query(
      `INSERT INTO notifications (user_id, type, title, message) VALUES ($1, $2, $3, $4) RETURNING id, created_at`,
      [n.userId, n.type, n.title, n.message],
    );
    return {
      userId: n.userId,
      event: 'new-notification',
      payload: { id: row.id, type: n.type, title: n.title, message: n.message, createdAt: new Date(row.created_at).toISOString() },
    };
  }
}
