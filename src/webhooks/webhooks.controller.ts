import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { AdminOnly } from '../auth/core/guards/admin-only.decorator';
import { PageQueryDto } from '../common/pagination/page-query.dto';
import { ApiErrors } from '../openapi/api-errors.decorator';
import { WebhookDeliveryListDto, WebhookTestDto } from './dto/webhook-delivery.dto';
import { CreatedWebhookEndpointDto, CreateWebhookDto, UpdateWebhookDto, WebhookEndpointDto, WebhookEndpointListDto } from './dto/webhook-endpoint.dto';
import { WebhooksService } from './webhooks.service';
import { AuthUser } from '../auth/core/auth-user';
import { CurrentUser } from '../auth/core/current-user.decorator';
import { RequestId } from '../common/http/request-id.decorator';

const ENDPOINT_ID = { name: 'id', description: 'The webhook endpoint id', schema: { type: 'string' as const } };
const NOT_FOUND = { 404: 'WEBHOOK_NOT_FOUND (a malformed id included)' };
const URL_ERRORS =
  'VALIDATION_FAILED (bad or unknown fields, unknown event type); INVALID_WEBHOOK_URL (not http(s), not https:// in production, ' +
  'credentials in it, a host that does not resolve); WEBHOOK_URL_NOT_ALLOWED (resolves to a loopback, private, link-local or metadata address)';

@ApiTags('admin')
@AdminOnly()
@Controller('api/admin/webhooks')
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Post()
  @ApiOperation({ summary: 'Admin: add a webhook endpoint (its secret is shown only in this response)' })
  @ApiCreatedResponse({ type: CreatedWebhookEndpointDto })
  @ApiErrors({ 400: URL_ERRORS, 409: 'WEBHOOK_LIMIT_REACHED' })
  create(@Body() body: CreateWebhookDto, @CurrentUser() admin: AuthUser, @RequestId() requestId?: string): Promise<CreatedWebhookEndpointDto> {
    return this.webhooks.create(body, { id: admin.id, requestId });
  }

  @Get()
  @ApiOperation({ summary: 'Admin: webhook endpoints, newest first' })
  @ApiOkResponse({ type: WebhookEndpointListDto })
  @ApiErrors({ 400: 'VALIDATION_FAILED: bad limit or cursor' })
  list(@Query() query: PageQueryDto): Promise<WebhookEndpointListDto> {
    return this.webhooks.list(query);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Admin: change a webhook endpoint; re-enabling resets its failure streak' })
  @ApiParam(ENDPOINT_ID)
  @ApiOkResponse({ type: WebhookEndpointDto })
  @ApiErrors({ 400: URL_ERRORS, ...NOT_FOUND })
  update(@Param('id') id: string, @Body() body: UpdateWebhookDto, @CurrentUser() admin: AuthUser, @RequestId() requestId?: string): Promise<WebhookEndpointDto> {
    return this.webhooks.update(id, body, { id: admin.id, requestId });
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Admin: delete a webhook endpoint and its delivery log' })
  @ApiParam(ENDPOINT_ID)
  @ApiNoContentResponse({ description: 'Deleted; queued deliveries are dropped' })
  @ApiErrors(NOT_FOUND)
  async remove(@Param('id') id: string, @CurrentUser() admin: AuthUser, @RequestId() requestId?: string): Promise<void> {
    await this.webhooks.remove(id, { id: admin.id, requestId });
  }

  @Get(':id/deliveries')
  @ApiOperation({ summary: "Admin: an endpoint's deliveries (kept 30 days), newest first, each with its latest attempt" })
  @ApiParam(ENDPOINT_ID)
  @ApiOkResponse({ type: WebhookDeliveryListDto })
  @ApiErrors({ 400: 'VALIDATION_FAILED: bad limit or cursor', ...NOT_FOUND })
  deliveries(@Param('id') id: string, @Query() query: PageQueryDto): Promise<WebhookDeliveryListDto> {
    return this.webhooks.deliveryLog(id, query);
  }

  @Post(':id/test')
  @HttpCode(202)
  @ApiOperation({ summary: 'Admin: send a webhook.test event to this endpoint (also when it is disabled)' })
  @ApiParam(ENDPOINT_ID)
  @ApiAcceptedResponse({ type: WebhookTestDto })
  @ApiErrors(NOT_FOUND)
  test(@Param('id') id: string): Promise<WebhookTestDto> {
    return this.webhooks.test(id);
  }
}
