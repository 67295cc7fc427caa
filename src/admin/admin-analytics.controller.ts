import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminOnly } from '../auth/core/guards/admin-only.decorator';
import { ApiErrors } from '../openapi/api-errors.decorator';
import { AnalyticsService } from './analytics.service';
import { AnalyticsQueryDto } from './dto/analytics-query.dto';
import { AnalyticsDto } from './dto/analytics.dto';

@ApiTags('admin')
@AdminOnly()
@Controller('api/admin/analytics')
export class AdminAnalyticsController {
  constructor(private readonly analytics: AnalyticsService) {}

  @Get()
  @ApiOperation({ summary: 'Admin: the referral funnel over a date range' })
  @ApiOkResponse({ type: AnalyticsDto, description: 'The referral funnel over [from, to), by UTC day' })
  @ApiErrors({ 400: 'VALIDATION_FAILED: a bad date, from after to, or a range over 366 days' })
  report(@Query() query: AnalyticsQueryDto): Promise<AnalyticsDto> {
    return this.analytics.report(query);
  }
}
