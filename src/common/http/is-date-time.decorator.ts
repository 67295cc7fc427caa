import { applyDecorators } from '@nestjs/common';
import { IsISO8601, ValidateBy } from 'class-validator';

/**
 * An ISO 8601 date-time that JavaScript's Date can read. IsISO8601 alone also passes week and
 * ordinal dates ('2026-W05', '2026-123') that `new Date` turns into Invalid Date.
 */
export const IsDateTime = () =>
  applyDecorators(
    IsISO8601({ strict: true, strictSeparator: true }),
    ValidateBy({
      name: 'isReadableDateTime',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && !Number.isNaN(Date.parse(value)),
        defaultMessage: (args) => `${args?.property ?? 'value'} must be an ISO 8601 date-time such as 2026-01-31T12:00:00Z`,
      },
    }),
  );
