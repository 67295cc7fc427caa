import { Controller, Get, HttpCode } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CommonErrorCode, CommonException } from '../common/errors/common.exception';
import { OUTAGE_RETRY_AFTER_SECONDS } from '../common/errors/outage';
import { HealthDto } from './health.dto';

@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  @Get()
  @HttpCode(200)
  @ApiOperation({ summary: 'Liveness with the database included' })
  @ApiOkResponse({ type: HealthDto, description: 'The service and its database answer' })
  @ApiServiceUnavailableResponse({ description: 'The database does not answer' })
  async check(): Promise<{ status: 'ok'; database: 'up' }> {
    try {
      await this.db.query('SELECT 1');
    } catch {
      throw new CommonException(CommonErrorCode.SERVICE_UNAVAILABLE, 'The database is not reachable', {
        'Retry-After': String(OUTAGE_RETRY_AFTER_SECONDS),
      });
    }
    return { status: 'ok', database: 'up' };
  }
}
