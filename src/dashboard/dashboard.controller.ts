import { Controller, Get, Inject, Param, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { join } from 'node:path';
import { CommonErrorCode, CommonException } from '../common/errors/common.exception';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { ApiErrors } from '../openapi/api-errors.decorator';
import { loadWebApp, WebAppFiles } from './web-app-files';

/** The paths of API.md ("Operations") that open the web app; it routes among them itself. */
export const WEB_APP_PATHS = ['auth/jwt/sign-up', 'auth/jwt/sign-in', 'dashboard/account/points', 'dashboard/admin'];

const HTML_PAGE = { description: 'The web app page', content: { 'text/html': { schema: { type: 'string' as const } } } };

/** The web app built from web/ (dist/web): one HTML page for its paths, and its hashed assets. */
@ApiTags('dashboard')
@Controller()
export class DashboardController {
  private readonly files: WebAppFiles;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.files = loadWebApp({ google: Boolean(config.google), publicUrl: config.publicUrl });
  }

  @Get(WEB_APP_PATHS)
  @ApiOperation({ summary: 'The web app: sign-up (short links lead here), sign-in, the points dashboard and the admin console' })
  @ApiOkResponse(HTML_PAGE)
  page(@Res() res: Response): void {
    if (this.files.html === null) {
      throw new CommonException(CommonErrorCode.SERVICE_UNAVAILABLE, 'The web app is not built: run `npm run build`', { 'Retry-After': '60' });
    }
    res.setHeader('Cache-Control', 'no-cache');
    res.type('html').send(this.files.html);
  }

  @Get('dashboard/assets/:file')
  @ApiOperation({ summary: "A built script, style sheet or font of the web app (hashed name, cached a year)" })
  @ApiParam({ name: 'file', schema: { type: 'string', maxLength: 255 } })
  @ApiOkResponse({
    description: 'The file',
    content: { 'text/css': { schema: { type: 'string' } }, 'text/javascript': { schema: { type: 'string' } } },
  })
  @ApiErrors({ 404: 'NOT_FOUND: no such asset' })
  asset(@Param('file') file: string, @Res() res: Response): void {
    if (!this.files.assets.has(file)) throw new CommonException(CommonErrorCode.NOT_FOUND, 'No such asset');
    res.sendFile(join(this.files.assetsDir, file), { maxAge: '365d', immutable: true });
  }
}
