import { Controller, Get, Req, Res, UseGuards } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiFoundResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { clientSignals } from '../../common/http/client-signals';
import { GoogleAuthGuard } from './google-auth.guard';
import { GoogleProfile } from './google-profile';
import { GoogleSignInService } from './google-sign-in.service';

@ApiTags('auth')
@Controller('api/auth/google')
export class GoogleAuthController {
  constructor(private readonly google: GoogleSignInService) {}

  /** The guard redirects to Google's consent page; this body never runs. */
  @Get()
  @UseGuards(GoogleAuthGuard)
  @ApiFoundResponse({ description: "Redirect to Google's sign-in (404 when Google is not configured)" })
  start(): void {}

  @Get('callback')
  @UseGuards(GoogleAuthGuard)
  @ApiExcludeEndpoint()
  async callback(@Req() req: Request & { user: GoogleProfile }, @Res() res: Response): Promise<void> {
    const cookie: unknown = req.cookies?.ref;
    const location = await this.google.signIn(req.user, typeof cookie === 'string' ? cookie : undefined, clientSignals(req));
    res.redirect(302, location);
  }
}
