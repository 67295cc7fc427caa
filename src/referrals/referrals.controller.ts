import { Body, Controller, Get, HttpCode, Post, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthUser } from '../auth/core/auth-user';
import { CurrentUser } from '../auth/core/current-user.decorator';
import { JwtAuthGuard } from '../auth/core/guards/jwt-auth.guard';
import { ApiErrors } from '../openapi/api-errors.decorator';
import { assertNoBodyFields } from './dto/generate-referral-code.dto';
import { ListReferralsQueryDto } from './dto/list-referrals-query.dto';
import { ReferralCodeDto } from './dto/referral-code.dto';
import { ReferralListDto } from './dto/referral-list.dto';
import { ReferralListService } from './referral-list.service';
import { ReferralsService } from './referrals.service';

@ApiTags('referrals')
@ApiBearerAuth()
@ApiErrors({ 401: 'UNAUTHORIZED: missing or bad access token' })
@UseGuards(JwtAuthGuard)
@Controller('api/points')
export class ReferralsController {
  constructor(
    private readonly referrals: ReferralsService,
    private readonly list: ReferralListService,
  ) {}

  @Post('generate-referral-code')
  @HttpCode(201)
  @ApiOperation({ summary: 'Create your referral code and short link, or rotate them' })
  @ApiBody({ required: false, description: 'No fields', schema: { type: 'object', maxProperties: 0 } })
  @ApiCreatedResponse({ type: ReferralCodeDto, description: 'A new code; any previous code stops working at once' })
  @ApiErrors({
    400: 'VALIDATION_FAILED: the call takes no body fields',
    404: 'USER_NOT_FOUND: the account of the token no longer exists',
    503: 'REFERRAL_CODE_UNAVAILABLE: no free code found; retry',
  })
  generate(@CurrentUser() user: AuthUser, @Body() body: unknown): Promise<ReferralCodeDto> {
    assertNoBodyFields(body);
    return this.referrals.generateCode(user.id);
  }

  @Get('referrals')
  @ApiOperation({ summary: 'Your referees and your referral stats' })
  @ApiOkResponse({ type: ReferralListDto, description: 'Your referees, newest first; rejected sign-ups included with status rejected' })
  @ApiErrors({ 400: 'VALIDATION_FAILED: bad limit, cursor or depth', 404: 'USER_NOT_FOUND: the account of the token no longer exists' })
  referralList(@CurrentUser() user: AuthUser, @Query() query: ListReferralsQueryDto): Promise<ReferralListDto> {
    return this.list.list(user.id, query);
  }
}
