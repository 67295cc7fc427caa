import { Controller, Get, Param, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { join } from 'node:path';
import { CommonErrorCode, CommonException } from '../common/errors/common.exception';
import { ApiErrors } from '../openapi/api-errors.decorator';

const PUBLIC = join(__dirname, 'public');
const ASSETS = new Set(['styles.css', 'api.js', 'sign-up.js', 'points.js']);
const HTML_PAGE = { description: 'An HTML page', content: { 'text/html': { schema: { type: 'string' as const } } } };

/** The web dashboard and the sign-up page short links lead to: static files over the public API. */
@ApiTags('dashboard')
@Controller()
export class DashboardController {
  @Get('auth/jwt/sign-up')
  @ApiOperation({ summary: 'The sign-up page (short links lead here)' })
  @ApiOkResponse(HTML_PAGE)
  signUp(@Res() res: Response): void {
    res.sendFile(join(PUBLIC, 'sign-up.html'));
  }

  @Get('dashboard/account/points')
  @ApiOperation({ summary: 'The points dashboard page' })
  @ApiOkResponse(HTML_PAGE)
  points(@Res() res: Response): void {
    res.sendFile(join(PUBLIC, 'points.html'));
  }

  @Get('dashboard/assets/:file')
  @ApiOperation({ summary: "A dashboard page's script or style sheet" })
  @ApiParam({ name: 'file', schema: { type: 'string', enum: [...ASSETS] } })
  @ApiOkResponse({ description: 'The file', content: { 'text/css': { schema: { type: 'string' } }, 'text/javascript': { schema: { type: 'string' } } } })
  @ApiErrors({ 404: 'NOT_FOUND: no such asset' })
  asset(@Param('file') file: string, @Res() res: Response): void {
    if (!ASSETS.has(file)) throw new CommonException(CommonErrorCode.NOT_FOUND, 'No such asset');
    res.sendFile(join(PUBLIC, file), { maxAge: '1h' });
  }
}
