import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { AuthUser } from '../auth/core/auth-user';
import { CurrentUser } from '../auth/core/current-user.decorator';
import { AdminOnly } from '../auth/core/guards/admin-only.decorator';
import { RequestId } from '../common/http/request-id.decorator';
import { ApiErrors } from '../openapi/api-errors.decorator';
import { CreateRewardRulesDto, PreviewRewardsDto, RewardPreviewDto, RewardRulesListDto, RewardRulesVersionDto } from './dto/reward-rules.dto';
import { RewardRulesService } from './reward-rules.service';

const CREATE_ERRORS =
  'VALIDATION_FAILED: a missing or unknown field, a percentage outside 0..100 or with more than 2 decimals, ' +
  'a bonus outside 0..1,000,000, effectiveFrom in the past';

@ApiTags('admin')
@AdminOnly()
@Controller('api/admin/reward-rules')
export class RewardRulesController {
  constructor(private readonly rules: RewardRulesService) {}

  @Get()
  @ApiOperation({ summary: 'Admin: the reward rules in force, the scheduled versions and the superseded ones' })
  @ApiOkResponse({ type: RewardRulesListDto })
  list(): Promise<RewardRulesListDto> {
    return this.rules.list();
  }

  @Post()
  @ApiOperation({ summary: 'Admin: a new version of the reward rules, in force from effectiveFrom (default now)' })
  @ApiCreatedResponse({ type: RewardRulesVersionDto })
  @ApiErrors({ 400: CREATE_ERRORS })
  create(@Body() body: CreateRewardRulesDto, @CurrentUser() admin: AuthUser, @RequestId() requestId?: string): Promise<RewardRulesVersionDto> {
    return this.rules.create(body, { id: admin.id, requestId });
  }

  @Post('preview')
  @HttpCode(200)
  @ApiOperation({ summary: 'Admin: what a purchase would earn under a version (the rule function the reward worker runs)' })
  @ApiOkResponse({ type: RewardPreviewDto })
  @ApiErrors({ 400: 'VALIDATION_FAILED: bad amount, currency, firstPurchase or version', 404: 'RULES_VERSION_NOT_FOUND' })
  preview(@Body() body: PreviewRewardsDto): Promise<RewardPreviewDto> {
    return this.rules.preview(body);
  }

  @Delete(':version')
  @HttpCode(204)
  @ApiOperation({ summary: 'Admin: withdraw a scheduled version before it takes effect' })
  @ApiParam({ name: 'version', description: 'The version number', schema: { type: 'integer' } })
  @ApiNoContentResponse({ description: 'Withdrawn; it will never apply' })
  @ApiErrors({ 404: 'RULES_VERSION_NOT_FOUND (a malformed number included)', 409: 'RULES_IN_FORCE: the version is or was in force' })
  async withdraw(@Param('version') version: string, @CurrentUser() admin: AuthUser, @RequestId() requestId?: string): Promise<void> {
    await this.rules.withdraw(/^[1-9][0-9]{0,8}$/.test(version) ? Number(version) : 0, { id: admin.id, requestId });
  }
}
