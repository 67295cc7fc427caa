import { Module } from '@nestjs/common';
import { UsersModule } from '../users/users.module';
import { AuditLog } from './audit-log';
import { AuditLogController } from './audit-log.controller';
import { AuditLogRepository } from './audit-log.repository';
import { AuditLogService } from './audit-log.service';

/** Owns `audit_log`: other modules record through AuditLog, in their own transaction. */
@Module({
  imports: [UsersModule],
  controllers: [AuditLogController],
  providers: [AuditLog, AuditLogRepository, AuditLogService],
  exports: [AuditLog],
})
export class AuditModule {}
