import { Body, Controller, Get, Headers, HttpCode, Post, Query, UseGuards, UseInterceptors } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthUser } from '../auth/core/auth-user';
import { CurrentUser } from '../auth/core/current-user.decorator';
import { AdminOnly } from '../auth/core/guards/admin-only.decorator';
import { JwtAuthGuard, OptionalJwtAuthGuard } from '../auth/core/guards/jwt-auth.guard';
import { RequestId } from '../common/http/request-id.decorator';
import { IdempotencyInterceptor } from '../idempotency/idempotency.interceptor';
import { ApiErrors, ApiIdempotencyKey } from '../openapi/api-errors.decorator';
import { ApiOptionalBearerAuth } from '../openapi/security';
import { AdminPointsService } from './admin-points.service';
import { AdminAddPointsDto, AdminAddPointsResultDto } from './dto/admin-add-points.dto';
import { LeaderboardDto, LeaderboardQueryDto } from './dto/leaderboard.dto';
import { ListTransactionsQueryDto } from './dto/list-transactions-query.dto';
import { MyPointsDto } from './dto/my-points.dto';
import { PointTransactionDto, PointTransactionPageDto } from './dto/point-transaction.dto';
import { RedeemPointsDto, RedeemResultDto } from './dto/redeem-points.dto';
import { PointsQueriesService } from './points-queries.service';
import { RedemptionsService } from './redemptions.service';

@ApiTags('points')
@Controller('api/points')
export class PointsController {
  constructor(
    private readonly queries: PointsQueriesService,
    private readonly redemptions: RedemptionsService,
    private readonly admin: AdminPointsService,
  ) {}

  @Get('my-points')
  @UseGuards(JwtAuthGuard)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Your balances, level and the next level' })
  @ApiOkResponse({ type: MyPointsDto, description: 'Your balances and level' })
  @ApiErrors({ 401: 'UNAUTHORIZED', 404: 'USER_NOT_FOUND: the account of the token no longer exists' })
  myPoints(@CurrentUser() user: AuthUser): Promise<MyPointsDto> {
    return this.queries.myPoints(user.id);
  }

  @Get('transactions')
  @UseGuards(JwtAuthGuard)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Your ledger entries, newest first' })
  @ApiOkResponse({ type: PointTransactionPageDto, description: 'Newest first' })
  @ApiErrors({ 400: 'VALIDATION_FAILED: bad limit, cursor or type', 401: 'UNAUTHORIZED' })
  transactions(@CurrentUser() user: AuthUser, @Query() query: ListTransactionsQueryDto): Promise<PointTransactionPageDto> {
    return this.queries.transactions(user.id, query);
  }

  @Get('leaderboard')
  @UseGuards(OptionalJwtAuthGuard)
  @ApiOptionalBearerAuth()
  @ApiOperation({ summary: 'The referrers with the most referrals' })
  @ApiOkResponse({ type: LeaderboardDto, description: 'Public; `me` is filled for an authenticated caller' })
  @ApiErrors({ 400: 'VALIDATION_FAILED: limit outside 1..100' })
  leaderboard(@CurrentUser() user: AuthUser | undefined, @Query() query: LeaderboardQueryDto): Promise<LeaderboardDto> {
    return this.queries.leaderboard(query.limit ?? 10, user?.id);
  }

  @Post('redeem')
  @UseGuards(JwtAuthGuard)
  @UseInterceptors(IdempotencyInterceptor)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Spend available points on a reward' })
  @ApiCreatedResponse({ type: RedeemResultDto, description: 'The spend entry, the reward and what is left' })
  @ApiErrors({
    400: 'VALIDATION_FAILED',
    401: 'UNAUTHORIZED',
    404: 'USER_NOT_FOUND: the account of the token no longer exists',
    409: 'INSUFFICIENT_POINTS',
  })
  @ApiIdempotencyKey()
  async redeem(
    @CurrentUser() user: AuthUser,
    @Body() body: RedeemPointsDto,
    @Headers('idempotency-key') key?: string,
  ): Promise<RedeemResultDto> {
    const { result, reward, available } = await this.redemptions.redeem(user.id, body.amount, body.reward, key);
    return {
      transaction: PointTransactionDto.from(result.transaction),
      reward: { type: reward.type, value: reward.value, ...(reward.code ? { code: reward.code } : {}) },
      available,
    };
  }

  @Post('admin/add')
  @HttpCode(201)
  @AdminOnly()
  @UseInterceptors(IdempotencyInterceptor)
  @ApiOperation({ summary: 'Admin: grant points, or deduct them from available' })
  @ApiCreatedResponse({ type: AdminAddPointsResultDto, description: 'The ledger entry and the new balances' })
  @ApiErrors({
    400: 'VALIDATION_FAILED (zero, non-integer or beyond ±1,000,000,000)',
    404: 'USER_NOT_FOUND',
    409: 'INSUFFICIENT_POINTS (a deduction beyond available)',
  })
  @ApiIdempotencyKey()
  async adminAdd(
    @CurrentUser() admin: AuthUser,
    @Body() body: AdminAddPointsDto,
    @Headers('idempotency-key') key?: string,
    @RequestId() requestId?: string,
  ): Promise<AdminAddPointsResultDto> {
    const { result, balances } = await this.admin.add(admin.id, body.userId, body.amount, body.reason, key, requestId);
    return {
      transaction: PointTransactionDto.from(result.transaction),
      points: { total: balances.total, available: balances.available, pending: balances.pending, level: balances.level },
    };
  }
}
