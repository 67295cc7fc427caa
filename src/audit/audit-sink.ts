import { Injectable, OnModuleInit } from '@nestjs/common';
import { UnitOfWork } from '../database/unit-of-work';
import { AuditLog } from './audit-log';

/** The rows a unit of work kept with AuditLog.recordAtCommit go to `audit_log` in its own transaction, before commit. */
@Injectable()
export class AuditSink implements OnModuleInit {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly audit: AuditLog,
  ) {}

  onModuleInit(): void {
    this.uow.addSink({ kind: 'audit-entry', beforeCommit: (manager, entries) => this.audit.recordMany(manager, entries) });
  }
}
