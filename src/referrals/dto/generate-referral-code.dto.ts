import { CommonErrorCode, CommonException } from '../../common/errors/common.exception';

/**
 * The call takes no fields. ValidationPipe cannot express an empty DTO (forbidUnknownValues
 * refuses a class with no rules), so any field sent is refused here (API.md: unknown fields are a 400).
 */
export function assertNoBodyFields(body: unknown): void {
  if (body === undefined || body === null) return;
  if (typeof body !== 'object' || Array.isArray(body) || Object.keys(body).length > 0) {
    const fields = typeof body === 'object' ? Object.keys(body) : [];
    const messages = fields.length > 0 ? fields.map((f) => `property ${f} should not exist`) : ['the body must be empty'];
    throw Object.assign(new CommonException(CommonErrorCode.VALIDATION_FAILED, messages.join('; ')), { details: messages });
  }
}
