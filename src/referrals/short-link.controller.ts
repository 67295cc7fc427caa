import { Controller, Get, Inject, Param, Req, Res } from '@nestjs/common';
import { ApiFoundResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { clientSignals } from '../common/http/client-signals';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { RateLimit } from '../rate-limit/rate-limit.decorator';
import { ClickRecorderService } from './click-recorder.service';
import { normaliseReferralCode } from './referral-code.generator';
import { ReferralsService } from './referrals.service';

const REF_COOKIE_MAX_AGE_MS = 7 * 24 * 60 * 60 * 1000;

@ApiTags('referrals')
@Controller('r')
export class ShortLinkController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly referrals: ReferralsService,
    private readonly clicks: ClickRecorderService,
  ) {}

  @Get(':code')
  @RateLimit('short-link')
  @ApiOperation({ summary: 'Short link: sets the ref cookie and redirects to the sign-up page (unknown codes redirect without ref)' })
  @ApiParam({ name: 'code', description: 'A referral code, matched trimmed and upper-cased', schema: { type: 'string' } })
  @ApiFoundResponse({
    description: 'Redirect to {FRONTEND_URL}/auth/jwt/sign-up[?ref=CODE]; a known code also sets the `ref` cookie (7 days, HttpOnly, SameSite=Lax)',
    headers: {
      Location: { description: 'The sign-up page', schema: { type: 'string' } },
      'Set-Cookie': { description: '`ref={CODE}` for a known code', schema: { type: 'string' } },
    },
  })
  async follow(@Param('code') raw: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const signUp = `${this.config.frontendUrl}/auth/jwt/sign-up`;
    const code = normaliseReferralCode(raw);
    const referrerId = code ? await this.referrals.ownerOfCode(code) : undefined;
    if (!code || !referrerId) {
      res.redirect(302, signUp);
      return;
    }
    res.cookie('ref', code, {
      maxAge: REF_COOKIE_MAX_AGE_MS,
      httpOnly: true,
      sameSite: 'lax',
      path: '/',
      secure: this.config.publicUrl.startsWith('https:'),
    });
    res.redirect(302, `${signUp}?ref=${code}`);
    this.clicks.record({ referrerId, code, ...clientSignals(req) });
  }
}
