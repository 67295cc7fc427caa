import { Body, Controller, HttpCode, Post, UseGuards } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../openapi/api-errors.decorator';
import { ApiWebhookSignature } from '../openapi/security';
import { PurchaseCompletedDto } from './dto/purchase-completed.dto';
import { PurchaseRefundedDto } from './dto/purchase-refunded.dto';
import { WebhookAcceptedDto } from './dto/webhook-accepted.dto';
import { PurchasesService } from './purchases.service';
import { WebhookSignatureGuard } from './webhook-signature.guard';

@ApiTags('purchases')
@ApiWebhookSignature()
@ApiErrors({
  400: 'VALIDATION_FAILED or MALFORMED_JSON: malformed body',
  401: 'INVALID_SIGNATURE: missing or wrong X-Signature (checked before the body)',
  503: 'WEBHOOKS_DISABLED: PURCHASE_WEBHOOK_SECRET is not configured',
})
@UseGuards(WebhookSignatureGuard)
@Controller('api/purchases')
export class PurchasesController {
  constructor(private readonly purchases: PurchasesService) {}

  @Post('completed')
  @HttpCode(202)
  @ApiOperation({ summary: 'Webhook: an order was completed (idempotent on orderId)' })
  @ApiAcceptedResponse({ type: WebhookAcceptedDto, description: 'Recorded; rewards are computed asynchronously' })
  @ApiErrors({
    404: 'USER_NOT_FOUND: no such user',
    409: 'ORDER_CONFLICT: the orderId was reported before with another user, amount or currency',
  })
  completed(@Body() body: PurchaseCompletedDto): Promise<WebhookAcceptedDto> {
    return this.purchases.notifyTransactionCompleted(body);
  }

  @Post('refunded')
  @HttpCode(202)
  @ApiOperation({ summary: 'Webhook: an order was refunded, wholly or in part (cumulative amount)' })
  @ApiAcceptedResponse({ type: WebhookAcceptedDto, description: 'Recorded; clawbacks run asynchronously' })
  @ApiErrors({
    404: 'ORDER_NOT_FOUND: no purchase has this orderId',
    422: 'INVALID_REFUND_AMOUNT: the refunded total exceeds the order amount',
  })
  refunded(@Body() body: PurchaseRefundedDto): Promise<WebhookAcceptedDto> {
    return this.purchases.notifyRefund(body);
  }
}
