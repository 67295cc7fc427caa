import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { AdminOnly } from '../auth/core/guards/admin-only.decorator';
import { ApiErrors } from '../openapi/api-errors.decorator';
import { ListTransactionsQueryDto } from '../points/dto/list-transactions-query.dto';
import { PointTransactionPageDto } from '../points/dto/point-transaction.dto';
import { AdminUsersService } from './admin-users.service';
import { AdminUserDetailDto, AdminUserPageDto } from './dto/admin-user.dto';
import { AdminUsersQueryDto } from './dto/admin-users-query.dto';

const USER_ID = { name: 'id', description: 'The user id', schema: { type: 'string' as const } };
const NOT_FOUND = 'USER_NOT_FOUND: no active user has this id (a malformed id included)';

@ApiTags('admin')
@AdminOnly()
@Controller('api/admin/users')
export class AdminUsersController {
  constructor(private readonly users: AdminUsersService) {}

  @Get()
  @ApiOperation({ summary: 'Admin: look users up by email prefix or id, newest first' })
  @ApiOkResponse({ type: AdminUserPageDto, description: 'Active users whose email starts with ?query= or whose id it is' })
  @ApiErrors({ 400: 'VALIDATION_FAILED: a blank or over-long query, a bad limit or cursor' })
  search(@Query() query: AdminUsersQueryDto): Promise<AdminUserPageDto> {
    return this.users.search(query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'Admin: one user with balances, referral counters, how they were referred and flags' })
  @ApiParam(USER_ID)
  @ApiOkResponse({ type: AdminUserDetailDto, description: 'The user and the referral that brought them in' })
  @ApiErrors({ 404: NOT_FOUND })
  detail(@Param('id') id: string): Promise<AdminUserDetailDto> {
    return this.users.detail(id);
  }

  @Get(':id/transactions')
  @ApiOperation({ summary: "Admin: a user's ledger entries, newest first" })
  @ApiParam(USER_ID)
  @ApiOkResponse({ type: PointTransactionPageDto, description: 'Same shape as /api/points/transactions' })
  @ApiErrors({ 400: 'VALIDATION_FAILED: bad limit, cursor or type', 404: NOT_FOUND })
  transactions(@Param('id') id: string, @Query() query: ListTransactionsQueryDto): Promise<PointTransactionPageDto> {
    return this.users.transactions(id, query);
  }
}
