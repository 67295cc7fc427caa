import { Module } from '@nestjs/common';
import { UsersModule } from '../users/users.module';
import { AuditLog } from './audit-log';
import { AuditLogController } from './audit-log.controller';
import { AuditLogRepository } from './audit-log.repository';
import { AuditLogService } from './audit-log.service';
import { AuditSink } from './audit-sink';

/** Owns `audit_log`: other modules record through AuditLog, in their own transaction (or unit of work). */
@Module({
  imports: [UsersModule],
  controllers: [AuditLogController],
  providers: [AuditLog, AuditLogRepository, AuditLogService, AuditSink],
  exports: [AuditLog],
})
export class AuditModule {}
