import { applyDecorators } from '@nestjs/common';
import { ApiHeader, ApiResponse } from '@nestjs/swagger';
import { ERROR_BODY_REF } from './error-body.schema';

export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429 | 503;

/**
 * The error responses an operation can give beyond the ones every operation has (see
 * `completeDocument`): status → the API.md codes it carries, e.g.
 * `@ApiErrors({ 404: 'USER_NOT_FOUND', 409: 'INSUFFICIENT_POINTS' })`. Each is the error envelope.
 */
export const ApiErrors = (errors: Partial<Record<ErrorStatus, string>>) =>
  applyDecorators(
    ...Object.entries(errors).map(([status, description]) =>
      ApiResponse({ status: Number(status), description, schema: { $ref: ERROR_BODY_REF } }),
    ),
  );

export const IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key';

/** API.md: optional, 1..255 visible ASCII characters; declared once in components.parameters. */
export const ApiIdempotencyKey = () =>
  applyDecorators(
    ApiHeader({
      name: IDEMPOTENCY_KEY_HEADER,
      required: false,
      description:
        'Scoped to the caller. A repeat with the same body replays the first response (same status and body); ' +
        'another body is 409 IDEMPOTENCY_KEY_REUSED; a repeat while the first still runs waits for it ' +
        '(up to 10 s, then 409 IDEMPOTENCY_KEY_IN_PROGRESS). A malformed key is 400 INVALID_IDEMPOTENCY_KEY.',
      schema: { type: 'string', minLength: 1, maxLength: 255, pattern: '^[\\x21-\\x7e]+$' },
    }),
    ApiErrors({ 400: 'INVALID_IDEMPOTENCY_KEY: a malformed Idempotency-Key', 409: 'IDEMPOTENCY_KEY_REUSED or IDEMPOTENCY_KEY_IN_PROGRESS' }),
  );
