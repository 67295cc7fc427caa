import { Body, Controller, HttpCode, Post, UseGuards } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiUnauthorizedResponse,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { PurchaseCompletedDto } from './dto/purchase-completed.dto';
import { PurchaseRefundedDto } from './dto/purchase-refunded.dto';
import { WebhookAcceptedDto } from './dto/webhook-accepted.dto';
import { PurchasesService } from './purchases.service';
import { WebhookSignatureGuard } from './webhook-signature.guard';

@ApiTags('purchases')
@ApiHeader({ name: 'X-Signature', required: true, description: 'sha256=<hex HMAC-SHA256 of the raw body with PURCHASE_WEBHOOK_SECRET>' })
@ApiUnauthorizedResponse({ description: 'INVALID_SIGNATURE: missing or wrong X-Signature (checked before the body)' })
@ApiServiceUnavailableResponse({ description: 'WEBHOOKS_DISABLED: PURCHASE_WEBHOOK_SECRET is not configured' })
@ApiBadRequestResponse({ description: 'VALIDATION_FAILED: malformed body' })
@UseGuards(WebhookSignatureGuard)
@Controller('api/purchases')
export class PurchasesController {
  constructor(private readonly purchases: PurchasesService) {}

  @Post('completed')
  @HttpCode(202)
  @ApiAcceptedResponse({ type: WebhookAcceptedDto, description: 'Recorded; rewards are computed asynchronously' })
  @ApiNotFoundResponse({ description: 'USER_NOT_FOUND: no such user' })
  @ApiConflictResponse({ description: 'ORDER_CONFLICT: the orderId was reported before with another user, amount or currency' })
  completed(@Body() body: PurchaseCompletedDto): Promise<WebhookAcceptedDto> {
    return this.purchases.notifyTransactionCompleted(body);
  }

  @Post('refunded')
  @HttpCode(202)
  @ApiAcceptedResponse({ type: WebhookAcceptedDto, description: 'Recorded; clawbacks run asynchronously' })
  @ApiNotFoundResponse({ description: 'ORDER_NOT_FOUND: no purchase has this orderId' })
  @ApiUnprocessableEntityResponse({ description: 'INVALID_REFUND_AMOUNT: the refunded total exceeds the order amount' })
  refunded(@Body() body: PurchaseRefundedDto): Promise<WebhookAcceptedDto> {
    return this.purchases.notifyRefund(body);
  }
}
