import { ValidationError, ValidationPipe } from '@nestjs/common';
import { CommonErrorCode, CommonException } from '../errors/common.exception';

function flatten(errors: ValidationError[], parent = ''): string[] {
  return errors.flatMap((e) => {
    const path = parent ? `${parent}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((m) => (m.startsWith(e.property) ? m.replace(e.property, path) : `${path}: ${m}`));
    return own.concat(flatten(e.children ?? [], path));
  });
}

/** Unknown fields are rejected, not dropped (API.md: a 400 VALIDATION_FAILED). */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    forbidUnknownValues: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => {
      const messages = flatten(errors);
      const error = new CommonException(CommonErrorCode.VALIDATION_FAILED, messages.join('; ') || 'Invalid request');
      return Object.assign(error, { details: messages });
    },
  });
}
