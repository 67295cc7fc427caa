import { Controller, Get, HttpCode, Param, Post, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { AuthUser } from '../auth/core/auth-user';
import { CurrentUser } from '../auth/core/current-user.decorator';
import { JwtAuthGuard } from '../auth/core/guards/jwt-auth.guard';
import { ApiErrors } from '../openapi/api-errors.decorator';
import { InboxQueryDto, NotificationPageDto } from './dto/notification-inbox.dto';
import { NotificationInboxService } from './notification-inbox.service';

@ApiTags('notifications')
@UseGuards(JwtAuthGuard)
@ApiBearerAuth()
@Controller('api/notifications')
export class NotificationInboxController {
  constructor(private readonly inbox: NotificationInboxService) {}

  @Get()
  @ApiOperation({ summary: 'Your notifications, newest first, with the unread count' })
  @ApiOkResponse({ type: NotificationPageDto, description: 'Newest first; ?unread=true keeps the unread ones' })
  @ApiErrors({ 400: 'VALIDATION_FAILED: bad unread, limit or cursor', 401: 'UNAUTHORIZED' })
  list(@CurrentUser() user: AuthUser, @Query() query: InboxQueryDto): Promise<NotificationPageDto> {
    return this.inbox.list(user.id, query);
  }

  @Post('read-all')
  @HttpCode(204)
  @ApiOperation({ summary: 'Mark all your notifications read' })
  @ApiNoContentResponse({ description: 'Every unread notification of yours is now read' })
  @ApiErrors({ 401: 'UNAUTHORIZED' })
  async readAll(@CurrentUser() user: AuthUser): Promise<void> {
    await this.inbox.markAllRead(user.id);
  }

  @Post(':id/read')
  @HttpCode(204)
  @ApiOperation({ summary: 'Mark one of your notifications read' })
  @ApiParam({ name: 'id', description: 'The notification id', schema: { type: 'string' } })
  @ApiNoContentResponse({ description: 'Read (again: the first read time stays)' })
  @ApiErrors({ 401: 'UNAUTHORIZED', 404: "NOTIFICATION_NOT_FOUND: not one of yours (another user's id included)" })
  async read(@CurrentUser() user: AuthUser, @Param('id') id: string): Promise<void> {
    await this.inbox.markRead(user.id, id);
  }
}
