import { ArgumentMetadata, ValidationError, ValidationPipe } from '@nestjs/common';
import { getMetadataStorage } from 'class-validator';
import { CommonErrorCode, CommonException } from '../errors/common.exception';

function flatten(errors: ValidationError[], parent = ''): string[] {
  return errors.flatMap((e) => {
    const path = parent ? `${parent}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((m) => (m.startsWith(e.property) ? m.replace(e.property, path) : `${path}: ${m}`));
    return own.concat(flatten(e.children ?? [], path));
  });
}

function validationFailed(messages: string[]): Error {
  const error = new CommonException(CommonErrorCode.VALIDATION_FAILED, messages.join('; ') || 'Invalid request');
  return Object.assign(error, { details: messages });
}

/** The fields a DTO class declares, and those of them marked IsOptional. */
function declaredFields(metatype: abstract new (...args: never[]) => unknown): { all: Set<string>; optional: Set<string> } | undefined {
  const rules = getMetadataStorage().getTargetValidationMetadatas(metatype, '', true, false);
  if (rules.length === 0) return undefined;
  return {
    all: new Set(rules.map((r) => r.propertyName)),
    optional: new Set(rules.filter((r) => r.name === 'isOptional').map((r) => r.propertyName)),
  };
}

/**
 * Beyond class-validator: a field counts as declared only when the DTO declares it (its whitelist
 * looks names up in a plain object, so `toString` passes), and an optional field may be absent but
 * not null (IsOptional lets null through to code that expects a string).
 */
class StrictValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<any> {
    const fields = metadata.metatype && this.toValidate(metadata) ? declaredFields(metadata.metatype) : undefined;
    if (fields && typeof value === 'object' && value !== null && !Array.isArray(value)) {
      const messages: string[] = [];
      for (const [key, given] of Object.entries(value)) {
        if (!fields.all.has(key)) messages.push(`property ${key} should not exist`);
        else if (given === null && fields.optional.has(key)) messages.push(`${key} must be left out rather than null`);
      }
      if (messages.length > 0) throw validationFailed(messages);
    }
    return super.transform(value, metadata);
  }
}

/** Unknown fields are rejected, not dropped (API.md: a 400 VALIDATION_FAILED). */
export function createValidationPipe(): ValidationPipe {
  return new StrictValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    forbidUnknownValues: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => validationFailed(flatten(errors)),
  });
}
