import { ValidateBy, ValidationOptions } from 'class-validator';

/**
 * The email as it is stored (trimmed, lower-cased) fits `max` characters. Lower-casing can
 * lengthen a string (`İ` becomes `i̇`, two code units), so MaxLength on the input is not enough.
 */
export const EmailFits = (max = 255, options?: ValidationOptions) =>
  ValidateBy(
    {
      name: 'emailFits',
      constraints: [max],
      validator: {
        validate: (value: unknown) => typeof value === 'string' && value.trim().toLowerCase().length <= max,
        defaultMessage: (args) => `${args?.property ?? 'value'} must be at most ${max} characters once lower-cased`,
      },
    },
    options,
  );
