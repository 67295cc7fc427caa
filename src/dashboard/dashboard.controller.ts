import { Controller, Get, Inject, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { join } from 'node:path';
import { CommonErrorCode, CommonException } from '../common/errors/common.exception';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { loadWebApp, WebAppFiles } from './web-app-files';

/** The paths of API.md ("Operations") that open the web app; it routes among them itself. */
export const WEB_APP_PATHS = ['auth/jwt/sign-up', 'auth/jwt/sign-in', 'dashboard/account/points', 'dashboard/admin'];

/** The web app built from web/ (dist/web): one HTML page for its paths, and its hashed assets. */
@ApiExcludeController()
@Controller()
export class DashboardController {
  private readonly files: WebAppFiles;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.files = loadWebApp({ google: Boolean(config.google), publicUrl: config.publicUrl });
  }

  @Get(WEB_APP_PATHS)
  page(@Res() res: Response): void {
    if (this.files.html === null) {
      throw new CommonException(CommonErrorCode.SERVICE_UNAVAILABLE, 'The web app is not built: run `npm run build`', { 'Retry-After': '60' });
    }
    res.setHeader('Cache-Control', 'no-cache');
    res.type('html').send(this.files.html);
  }

  @Get('dashboard/assets/:file')
  asset(@Param('file') file: string, @Res() res: Response): void {
    if (!this.files.assets.has(file)) throw new CommonException(CommonErrorCode.NOT_FOUND, 'No such asset');
    res.sendFile(join(this.files.assetsDir, file), { maxAge: '365d', immutable: true });
  }
}
