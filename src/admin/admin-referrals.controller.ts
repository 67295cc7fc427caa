import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { AuthUser } from '../auth/core/auth-user';
import { CurrentUser } from '../auth/core/current-user.decorator';
import { AdminOnly } from '../auth/core/guards/admin-only.decorator';
import { RequestId } from '../common/http/request-id.decorator';
import { ApiErrors } from '../openapi/api-errors.decorator';
import { AdminReferralDto, AdminReferralListDto } from './dto/admin-referral.dto';
import { ListAdminReferralsQueryDto } from './dto/list-admin-referrals-query.dto';
import { ReviewReferralDto } from './dto/review-referral.dto';
import { ReferralReviewService } from './referral-review.service';

const REFERRAL_ID = { name: 'id', description: 'The referral id', schema: { type: 'string' as const } };
const REVIEW_ERRORS = {
  400: 'VALIDATION_FAILED: a note over 500 characters or an unknown field',
  404: 'REFERRAL_NOT_FOUND (a malformed id included)',
  409: 'REFERRAL_NOT_FLAGGED: only flagged referrals are reviewed',
};

@ApiTags('admin')
@AdminOnly()
@Controller('api/admin/referrals')
export class AdminReferralsController {
  constructor(private readonly reviews: ReferralReviewService) {}

  @Get()
  @ApiOperation({ summary: 'Admin: referrals, newest first, by status' })
  @ApiOkResponse({ type: AdminReferralListDto, description: 'Newest first; ?status=flagged gives the review queue' })
  @ApiErrors({ 400: 'VALIDATION_FAILED: bad status, limit or cursor' })
  list(@Query() query: ListAdminReferralsQueryDto): Promise<AdminReferralListDto> {
    return this.reviews.list(query);
  }

  @Post(':id/approve')
  @HttpCode(200)
  @ApiOperation({ summary: 'Admin: approve a flagged referral' })
  @ApiParam(REFERRAL_ID)
  @ApiOkResponse({ type: AdminReferralDto, description: 'Now pending or converted; held rewards released' })
  @ApiErrors(REVIEW_ERRORS)
  approve(
    @Param('id') id: string,
    @CurrentUser() admin: AuthUser,
    @Body() body: ReviewReferralDto,
    @RequestId() requestId?: string,
  ): Promise<AdminReferralDto> {
    // Express leaves the body undefined when none is sent.
    return this.reviews.review(id, 'approve', { id: admin.id, requestId }, body?.note);
  }

  @Post(':id/reject')
  @HttpCode(200)
  @ApiOperation({ summary: 'Admin: reject a flagged referral' })
  @ApiParam(REFERRAL_ID)
  @ApiOkResponse({ type: AdminReferralDto, description: 'Now rejected; held rewards voided, never spendable' })
  @ApiErrors(REVIEW_ERRORS)
  reject(
    @Param('id') id: string,
    @CurrentUser() admin: AuthUser,
    @Body() body: ReviewReferralDto,
    @RequestId() requestId?: string,
  ): Promise<AdminReferralDto> {
    // Express leaves the body undefined when none is sent.
    return this.reviews.review(id, 'reject', { id: admin.id, requestId }, body?.note);
  }
}
