import { Body, Controller, Get, HttpCode, Post, Query, UseGuards } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { AuthUser } from '../auth/auth-user';
import { CurrentUser } from '../auth/current-user.decorator';
import { JwtAuthGuard } from '../auth/guards/jwt-auth.guard';
import { assertNoBodyFields } from './dto/generate-referral-code.dto';
import { ListReferralsQueryDto } from './dto/list-referrals-query.dto';
import { ReferralCodeDto } from './dto/referral-code.dto';
import { ReferralListDto } from './dto/referral-list.dto';
import { ReferralListService } from './referral-list.service';
import { ReferralsService } from './referrals.service';

@ApiTags('referrals')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ description: 'UNAUTHORIZED: missing or bad access token' })
@UseGuards(JwtAuthGuard)
@Controller('api/points')
export class ReferralsController {
  constructor(
    private readonly referrals: ReferralsService,
    private readonly list: ReferralListService,
  ) {}

  @Post('generate-referral-code')
  @HttpCode(201)
  @ApiCreatedResponse({ type: ReferralCodeDto, description: 'A new code; any previous code stops working at once' })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED: the call takes no body fields' })
  generate(@CurrentUser() user: AuthUser, @Body() body: unknown): Promise<ReferralCodeDto> {
    assertNoBodyFields(body);
    return this.referrals.generateCode(user.id);
  }

  @Get('referrals')
  @ApiOkResponse({ type: ReferralListDto, description: 'Your referees, newest first; rejected sign-ups included with status rejected' })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED: bad limit, cursor or depth' })
  referralList(@CurrentUser() user: AuthUser, @Query() query: ListReferralsQueryDto): Promise<ReferralListDto> {
    return this.list.list(user.id, query);
  }
}
