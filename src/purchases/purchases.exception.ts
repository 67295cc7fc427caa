import { defineException } from '../common/errors/app.exception';

export enum PurchasesErrorCode {
  INVALID_SIGNATURE = 'INVALID_SIGNATURE',
  WEBHOOKS_DISABLED = 'WEBHOOKS_DISABLED',
  USER_NOT_FOUND = 'USER_NOT_FOUND',
  ORDER_NOT_FOUND = 'ORDER_NOT_FOUND',
  ORDER_CONFLICT = 'ORDER_CONFLICT',
  INVALID_REFUND_AMOUNT = 'INVALID_REFUND_AMOUNT',
}

export const PurchasesException = defineException<PurchasesErrorCode>('PurchasesException', {
  INVALID_SIGNATURE: 401,
  WEBHOOKS_DISABLED: 503,
  USER_NOT_FOUND: 404,
  ORDER_NOT_FOUND: 404,
  ORDER_CONFLICT: 409,
  INVALID_REFUND_AMOUNT: 422,
});
