import type { SchemaObject } from '@nestjs/swagger';

export const ERROR_BODY_REF = '#/components/schemas/ErrorBody';

/** `ErrorBody` (common/errors/error-body.ts): what GlobalExceptionFilter sends for every error. */
export const ERROR_BODY_SCHEMA: SchemaObject = {
  type: 'object',
  description: 'Every error: a stable `code` from API.md and a human `message`',
  required: ['statusCode', 'code', 'message'],
  additionalProperties: false,
  properties: {
    statusCode: { type: 'integer', minimum: 400, maximum: 599, example: 400, description: 'The HTTP status again' },
    code: { type: 'string', maxLength: 64, pattern: '^[A-Z][A-Z0-9_]*$', example: 'VALIDATION_FAILED' },
    message: {
      description: 'Human text; a validation failure lists one message per field',
      oneOf: [
        { type: 'string', maxLength: 2000 },
        { type: 'array', maxItems: 100, items: { type: 'string', maxLength: 2000 } },
      ],
    },
    correlationId: {
      type: 'string',
      maxLength: 128,
      description: 'On a 500 only: the request id (X-Request-Id) to quote when reporting it',
    },
  },
};
