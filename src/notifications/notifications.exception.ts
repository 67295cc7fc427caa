import { defineException } from '../common/errors/app.exception';

export enum NotificationsErrorCode {
  NOTIFICATION_NOT_FOUND = 'NOTIFICATION_NOT_FOUND',
}

export const NotificationsException = defineException<NotificationsErrorCode>('NotificationsException', {
  NOTIFICATION_NOT_FOUND: 404,
});
