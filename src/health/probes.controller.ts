import { Controller, Get, HttpCode } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { CommonErrorCode, CommonException } from '../common/errors/common.exception';
import { LiveDto, ReadyDto } from './health.dto';
import { ReadinessService } from './readiness.service';

/** Kubernetes-style probes beside the older GET /health, which keeps its own contract. */
@ApiTags('operations')
@Controller('health')
export class ProbesController {
  constructor(private readonly readiness: ReadinessService) {}

  /** The process answers; touches no dependency, so a database outage never restarts the pod. */
  @Get('live')
  @HttpCode(200)
  @ApiOperation({ summary: 'Liveness: the process answers (no database check)' })
  @ApiOkResponse({ type: LiveDto, description: 'The process is up' })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  @HttpCode(200)
  @ApiOperation({ summary: 'Readiness: database reachable, migrations applied, job workers started' })
  @ApiOkResponse({ type: ReadyDto, description: 'Database reachable, migrations applied, job workers started' })
  @ApiServiceUnavailableResponse({ description: 'A check failed; the message names it' })
  async ready(): Promise<{ status: 'ok'; checks: { database: 'up'; migrations: 'applied'; jobs: 'started' } }> {
    const { failed } = await this.readiness.check();
    if (failed) {
      throw new CommonException(CommonErrorCode.SERVICE_UNAVAILABLE, `Not ready: ${failed.check}: ${failed.reason}`, {
        'Retry-After': '5',
      });
    }
    return { status: 'ok', checks: { database: 'up', migrations: 'applied', jobs: 'started' } };
  }
}
