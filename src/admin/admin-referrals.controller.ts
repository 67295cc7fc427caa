import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AuthUser } from '../auth/auth-user';
import { CurrentUser } from '../auth/current-user.decorator';
import { AdminOnly } from '../auth/guards/admin-only.decorator';
import { AdminReferralDto, AdminReferralListDto } from './dto/admin-referral.dto';
import { ListAdminReferralsQueryDto } from './dto/list-admin-referrals-query.dto';
import { ReferralReviewService } from './referral-review.service';

@ApiTags('admin')
@AdminOnly()
@Controller('api/admin/referrals')
export class AdminReferralsController {
  constructor(private readonly reviews: ReferralReviewService) {}

  @Get()
  @ApiOkResponse({ type: AdminReferralListDto, description: 'Newest first; ?status=flagged gives the review queue' })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED: bad status, limit or cursor' })
  list(@Query() query: ListAdminReferralsQueryDto): Promise<AdminReferralListDto> {
    return this.reviews.list(query);
  }

  @Post(':id/approve')
  @HttpCode(200)
  @ApiOkResponse({ type: AdminReferralDto, description: 'Now pending or converted; held rewards released' })
  @ApiNotFoundResponse({ description: 'REFERRAL_NOT_FOUND' })
  @ApiConflictResponse({ description: 'REFERRAL_NOT_FLAGGED: only flagged referrals are reviewed' })
  approve(@Param('id') id: string, @CurrentUser() admin: AuthUser): Promise<AdminReferralDto> {
    return this.reviews.review(id, 'approve', admin.id);
  }

  @Post(':id/reject')
  @HttpCode(200)
  @ApiOkResponse({ type: AdminReferralDto, description: 'Now rejected; held rewards voided, never spendable' })
  @ApiNotFoundResponse({ description: 'REFERRAL_NOT_FOUND' })
  @ApiConflictResponse({ description: 'REFERRAL_NOT_FLAGGED: only flagged referrals are reviewed' })
  reject(@Param('id') id: string, @CurrentUser() admin: AuthUser): Promise<AdminReferralDto> {
    return this.reviews.review(id, 'reject', admin.id);
  }
}
