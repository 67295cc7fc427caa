import { Global, Module } from '@nestjs/common';
import { NotificationInboxController } from './notification-inbox.controller';
import { NotificationInboxRepository } from './notification-inbox.repository';
import { NotificationInboxService } from './notification-inbox.service';
import { NotificationsService } from './notifications.service';

@Global()
@Module({
  controllers: [NotificationInboxController],
  providers: [NotificationsService, NotificationInboxService, NotificationInboxRepository],
  exports: [NotificationsService],
})
export class NotificationsModule {}
