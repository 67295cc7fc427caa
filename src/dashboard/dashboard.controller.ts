import { Controller, Get, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { join } from 'node:path';
import { CommonErrorCode, CommonException } from '../common/errors/common.exception';

const PUBLIC = join(__dirname, 'public');
const ASSETS = new Set(['styles.css', 'api.js', 'sign-up.js', 'points.js']);

/** The web dashboard and the sign-up page short links lead to: static files over the public API. */
@ApiExcludeController()
@Controller()
export class DashboardController {
  @Get('auth/jwt/sign-up')
  signUp(@Res() res: Response): void {
    res.sendFile(join(PUBLIC, 'sign-up.html'));
  }

  @Get('dashboard/account/points')
  points(@Res() res: Response): void {
    res.sendFile(join(PUBLIC, 'points.html'));
  }

  @Get('dashboard/assets/:file')
  asset(@Param('file') file: string, @Res() res: Response): void {
    if (!ASSETS.has(file)) throw new CommonException(CommonErrorCode.NOT_FOUND, 'No such asset');
    res.sendFile(join(PUBLIC, file), { maxAge: '1h' });
  }
}
