import { Controller, Get, Req, Res, UseGuards } from '@nestjs/common';
import { ApiFoundResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { clientSignals } from '../../../common/http/client-signals';
import { ApiErrors } from '../../../openapi/api-errors.decorator';
import { GoogleAuthGuard } from './google-auth.guard';
import { GoogleProfile } from './google-profile';
import { GoogleSignInService } from './google-sign-in.service';

const LOCATION = { Location: { description: 'Where the browser goes next', schema: { type: 'string' as const } } };

@ApiTags('auth')
@Controller('api/auth/google')
export class GoogleAuthController {
  constructor(private readonly google: GoogleSignInService) {}

  /** The guard redirects to Google's consent page; this body never runs. */
  @Get()
  @UseGuards(GoogleAuthGuard)
  @ApiOperation({ summary: 'Sign in or sign up with Google: redirects to its consent page' })
  @ApiFoundResponse({ description: "Redirect to Google's consent page", headers: LOCATION })
  @ApiErrors({ 404: 'NOT_FOUND: Google sign-in is not configured on this server' })
  start(): void {}

  @Get('callback')
  @UseGuards(GoogleAuthGuard)
  @ApiOperation({ summary: "Google's redirect back (OAuth 2.0 code and state): signs in and redirects to the dashboard" })
  @ApiFoundResponse({ description: 'Redirect to the dashboard with a session', headers: LOCATION })
  @ApiQuery({ name: 'code', required: false, description: 'The authorization code', schema: { type: 'string' } })
  @ApiQuery({ name: 'state', required: false, description: 'The state this server issued', schema: { type: 'string' } })
  @ApiQuery({ name: 'error', required: false, description: 'Set by Google when consent was denied', schema: { type: 'string' } })
  @ApiErrors({
    401: 'UNAUTHORIZED: consent denied, a forged state or a failed code exchange; start again',
    404: 'NOT_FOUND: Google sign-in is not configured on this server',
  })
  async callback(@Req() req: Request & { user: GoogleProfile }, @Res() res: Response): Promise<void> {
    const cookie: unknown = req.cookies?.ref;
    const location = await this.google.signIn(req.user, typeof cookie === 'string' ? cookie : undefined, clientSignals(req));
    res.redirect(302, location);
  }
}
