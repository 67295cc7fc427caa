import { defineException } from '../common/errors/app.exception';

export enum WebhooksErrorCode {
  WEBHOOK_NOT_FOUND = 'WEBHOOK_NOT_FOUND',
  INVALID_WEBHOOK_URL = 'INVALID_WEBHOOK_URL',
  WEBHOOK_URL_NOT_ALLOWED = 'WEBHOOK_URL_NOT_ALLOWED',
  WEBHOOK_LIMIT_REACHED = 'WEBHOOK_LIMIT_REACHED',
}

export const WebhooksException = defineException<WebhooksErrorCode>('WebhooksException', {
  WEBHOOK_NOT_FOUND: 404,
  INVALID_WEBHOOK_URL: 400,
  WEBHOOK_URL_NOT_ALLOWED: 400,
  WEBHOOK_LIMIT_REACHED: 409,
});
