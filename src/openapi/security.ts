import { applyDecorators } from '@nestjs/common';
import { ApiSecurity } from '@nestjs/swagger';

/** The security scheme names in components.securitySchemes. */
export const BEARER_SCHEME = 'bearer';
export const WEBHOOK_SIGNATURE_SCHEME = 'webhookSignature';
export const METRICS_TOKEN_SCHEME = 'metricsToken';

/** A token is optional: anonymous callers are served too (security `[{}, {bearer: []}]`). */
export const ApiOptionalBearerAuth = () => applyDecorators(ApiSecurity({}), ApiSecurity(BEARER_SCHEME));

/** The commerce system's webhooks: `X-Signature` over the raw body. */
export const ApiWebhookSignature = () => ApiSecurity(WEBHOOK_SIGNATURE_SCHEME);

/** `/metrics`: open unless METRICS_TOKEN is set, then that bearer token (security `[{}, {metricsToken: []}]`). */
export const ApiMetricsToken = () => applyDecorators(ApiSecurity({}), ApiSecurity(METRICS_TOKEN_SCHEME));
