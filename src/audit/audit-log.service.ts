import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { pageRequest, toPage } from '../common/pagination/list-cursor';
import { UsersService } from '../users/users.service';
import { AuditRow, AuditLogRepository } from './audit-log.repository';
import { AuditEntryDto, AuditLogPageDto } from './dto/audit-entry.dto';
import { ListAuditLogQueryDto } from './dto/list-audit-log-query.dto';

@Injectable()
export class AuditLogService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly repository: AuditLogRepository,
    private readonly users: UsersService,
  ) {}

  async list(query: ListAuditLogQueryDto): Promise<AuditLogPageDto> {
    const { limit, after } = pageRequest(query);
    const rows = await this.repository.page(this.dataSource.manager, {
      action: query.action,
      targetId: query.targetId,
      limit: limit + 1,
      after,
    });
    const actorIds = [...new Set(rows.slice(0, limit).flatMap((r) => (r.actorId ? [r.actorId] : [])))];
    const emails = new Map((await this.users.findManyByIds(actorIds)).map((u) => [u.id, u.email]));
    return toPage(rows, limit, (r) => ({ createdAt: r.cursorAt, id: r.id }), (r) => toDto(r, emails));
  }
}

function toDto(r: AuditRow, emails: Map<string, string>): AuditEntryDto {
  return {
    id: r.id,
    at: r.at.toISOString(),
    actor: r.actorId ? { id: r.actorId, email: emails.get(r.actorId) ?? '' } : 'cli',
    action: r.action,
    target: { type: r.targetType, id: r.targetId },
    before: r.before,
    after: r.after,
    details: r.details,
    requestId: r.requestId,
  };
}
