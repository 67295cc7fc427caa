import { Body, Controller, Get, Headers, HttpCode, Post, Query, UseGuards, UseInterceptors } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBearerAuth, ApiConflictResponse, ApiCreatedResponse, ApiHeader, ApiNotFoundResponse, ApiOkResponse, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { AuthUser } from '../auth/auth-user';
import { CurrentUser } from '../auth/current-user.decorator';
import { AdminOnly } from '../auth/guards/admin-only.decorator';
import { JwtAuthGuard, OptionalJwtAuthGuard } from '../auth/guards/jwt-auth.guard';
import { IdempotencyInterceptor } from '../idempotency/idempotency.interceptor';
import { AdminPointsService } from './admin-points.service';
import { AdminAddPointsDto, AdminAddPointsResultDto } from './dto/admin-add-points.dto';
import { LeaderboardDto, LeaderboardQueryDto } from './dto/leaderboard.dto';
import { ListTransactionsQueryDto } from './dto/list-transactions-query.dto';
import { MyPointsDto } from './dto/my-points.dto';
import { PointTransactionDto, PointTransactionPageDto } from './dto/point-transaction.dto';
import { RedeemPointsDto, RedeemResultDto } from './dto/redeem-points.dto';
import { PointsQueriesService } from './points-queries.service';
import { RedemptionsService } from './redemptions.service';

const IDEMPOTENCY_HEADER_DOC = {
  name: 'Idempotency-Key',
  required: false,
  description: '1..255 visible ASCII characters, scoped to the caller. A repeat with the same body replays the first response; another body is 409 IDEMPOTENCY_KEY_REUSED; a repeat while the first still runs waits for it (up to 10 s, then 409 IDEMPOTENCY_KEY_IN_PROGRESS).',
};

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
  @ApiOkResponse({ type: MyPointsDto })
  @ApiUnauthorizedResponse({ description: 'UNAUTHORIZED' })
  myPoints(@CurrentUser() user: AuthUser): Promise<MyPointsDto> {
    return this.queries.myPoints(user.id);
  }

  @Get('transactions')
  @UseGuards(JwtAuthGuard)
  @ApiBearerAuth()
  @ApiOkResponse({ type: PointTransactionPageDto, description: 'Newest first' })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED: bad limit, cursor or type' })
  @ApiUnauthorizedResponse({ description: 'UNAUTHORIZED' })
  transactions(@CurrentUser() user: AuthUser, @Query() query: ListTransactionsQueryDto): Promise<PointTransactionPageDto> {
    return this.queries.transactions(user.id, query);
  }

  @Get('leaderboard')
  @UseGuards(OptionalJwtAuthGuard)
  @ApiOkResponse({ type: LeaderboardDto, description: 'Public; `me` is filled for an authenticated caller' })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED: limit outside 1..100' })
  leaderboard(@CurrentUser() user: AuthUser | undefined, @Query() query: LeaderboardQueryDto): Promise<LeaderboardDto> {
    return this.queries.leaderboard(query.limit ?? 10, user?.id);
  }

  @Post('redeem')
  @UseGuards(JwtAuthGuard)
  @UseInterceptors(IdempotencyInterceptor)
  @ApiBearerAuth()
  @ApiHeader(IDEMPOTENCY_HEADER_DOC)
  @ApiCreatedResponse({ type: RedeemResultDto })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED or INVALID_IDEMPOTENCY_KEY' })
  @ApiUnauthorizedResponse({ description: 'UNAUTHORIZED' })
  @ApiConflictResponse({ description: 'INSUFFICIENT_POINTS, IDEMPOTENCY_KEY_REUSED or IDEMPOTENCY_KEY_IN_PROGRESS' })
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
  @ApiHeader(IDEMPOTENCY_HEADER_DOC)
  @ApiCreatedResponse({ type: AdminAddPointsResultDto })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED (zero, non-integer or beyond ±1,000,000,000) or INVALID_IDEMPOTENCY_KEY' })
  @ApiNotFoundResponse({ description: 'USER_NOT_FOUND' })
  @ApiConflictResponse({ description: 'INSUFFICIENT_POINTS (a deduction beyond available), IDEMPOTENCY_KEY_REUSED or IDEMPOTENCY_KEY_IN_PROGRESS' })
  async adminAdd(
    @CurrentUser() admin: AuthUser,
    @Body() body: AdminAddPointsDto,
    @Headers('idempotency-key') key?: string,
  ): Promise<AdminAddPointsResultDto> {
    const { result, balances } = await this.admin.add(admin.id, body.userId, body.amount, body.reason, key);
    return {
      transaction: PointTransactionDto.from(result.transaction),
      points: { total: balances.total, available: balances.available, pending: balances.pending, level: balances.level },
    };
  }
}
