import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminOnly } from '../auth/core/guards/admin-only.decorator';
import { ApiErrors } from '../openapi/api-errors.decorator';
import { AuditLogService } from './audit-log.service';
import { AuditLogPageDto } from './dto/audit-entry.dto';
import { ListAuditLogQueryDto } from './dto/list-audit-log-query.dto';

@ApiTags('admin')
@AdminOnly()
@Controller('api/admin/audit-log')
export class AuditLogController {
  constructor(private readonly audit: AuditLogService) {}

  @Get()
  @ApiOperation({ summary: 'Admin: the audit log of admin and CLI actions, newest first' })
  @ApiOkResponse({ type: AuditLogPageDto, description: 'Newest first; filter by ?action= and ?targetId=' })
  @ApiErrors({ 400: 'VALIDATION_FAILED: an unknown action, a bad targetId, limit or cursor' })
  list(@Query() query: ListAuditLogQueryDto): Promise<AuditLogPageDto> {
    return this.audit.list(query);
  }
}
