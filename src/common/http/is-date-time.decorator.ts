import { ValidateBy, ValidationOptions } from 'class-validator';
import { parseDateTime } from './date-time';

/** A full date-time with an offset, such as 2026-01-31T12:00:00Z (see `parseDateTime`). */
export const IsDateTime = (options?: ValidationOptions) =>
  ValidateBy(
    {
      name: 'isDateTime',
      validator: {
        validate: (value: unknown) => parseDateTime(value) !== undefined,
        defaultMessage: (args) =>
          `${args?.property ?? 'value'} must be a real ISO 8601 date-time with an offset, such as 2026-01-31T12:00:00Z`,
      },
    },
    options,
  );

/** Not later than now plus `skewMs` (clocks of callers drift a little). Pair it with IsDateTime. */
export const NotInFuture = (skewMs: number, options?: ValidationOptions) =>
  ValidateBy(
    {
      name: 'notInFuture',
      validator: {
        validate: (value: unknown) => {
          const date = parseDateTime(value);
          return date === undefined || date.getTime() <= Date.now() + skewMs;
        },
        defaultMessage: (args) => `${args?.property ?? 'value'} must not be in the future`,
      },
    },
    options,
  );
