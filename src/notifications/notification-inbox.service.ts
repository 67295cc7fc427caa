import { Injectable } from '@nestjs/common';
import { pageRequest, toPage } from '../common/pagination/list-cursor';
import { isUuid } from '../common/uuid';
import { InboxQueryDto, NotificationPageDto } from './dto/notification-inbox.dto';
import { NotificationInboxRepository } from './notification-inbox.repository';
import { NotificationsErrorCode, NotificationsException } from './notifications.exception';

@Injectable()
export class NotificationInboxService {
  constructor(private readonly repository: NotificationInboxRepository) {}

  async list(userId: string, query: InboxQueryDto): Promise<NotificationPageDto> {
    const { limit, after } = pageRequest(query);
    const [rows, unread] = await Promise.all([
      this.repository.page(userId, { unreadOnly: query.unread === 'true', limit: limit + 1, after }),
      this.repository.unreadCount(userId),
    ]);
    const page = toPage(rows, limit, (r) => ({ createdAt: r.cursorAt, id: r.id }), (r) => ({
      id: r.id,
      type: r.type,
      title: r.title,
      message: r.message,
      createdAt: r.createdAt.toISOString(),
      readAt: r.readAt?.toISOString() ?? null,
    }));
    return { ...page, unread };
  }

  /** 404 for an id that is not one of this user's notifications, whoever's it is: ids are not probed. */
  async markRead(userId: string, id: string): Promise<void> {
    if (!isUuid(id) || !(await this.repository.markRead(userId, id))) {
      throw new NotificationsException(NotificationsErrorCode.NOTIFICATION_NOT_FOUND, 'You have no notification with this id');
    }
  }

  markAllRead(userId: string): Promise<void> {
    return this.repository.markAllRead(userId);
  }
}
