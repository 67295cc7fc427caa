import { defineException } from './app.exception';

export enum CommonErrorCode {
  VALIDATION_FAILED = 'VALIDATION_FAILED',
  MALFORMED_JSON = 'MALFORMED_JSON',
  PAYLOAD_TOO_LARGE = 'PAYLOAD_TOO_LARGE',
  UNSUPPORTED_MEDIA_TYPE = 'UNSUPPORTED_MEDIA_TYPE',
  UNAUTHORIZED = 'UNAUTHORIZED',
  FORBIDDEN = 'FORBIDDEN',
  NOT_FOUND = 'NOT_FOUND',
  METHOD_NOT_ALLOWED = 'METHOD_NOT_ALLOWED',
  CONFLICT = 'CONFLICT',
  RATE_LIMITED = 'RATE_LIMITED',
  SERVICE_UNAVAILABLE = 'SERVICE_UNAVAILABLE',
  INTERNAL_ERROR = 'INTERNAL_ERROR',
}

export const CommonException = defineException<CommonErrorCode>('CommonException', {
  VALIDATION_FAILED: 400,
  MALFORMED_JSON: 400,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  CONFLICT: 409,
  RATE_LIMITED: 429,
  SERVICE_UNAVAILABLE: 503,
  INTERNAL_ERROR: 500,
});

/** The code for a framework HttpException that carries none of ours. */
export function codeForStatus(status: number): CommonErrorCode {
  switch (status) {
    case 400: return CommonErrorCode.VALIDATION_FAILED;
    case 401: return CommonErrorCode.UNAUTHORIZED;
    case 403: return CommonErrorCode.FORBIDDEN;
    case 404: return CommonErrorCode.NOT_FOUND;
    case 405: return CommonErrorCode.METHOD_NOT_ALLOWED;
    case 409: return CommonErrorCode.CONFLICT;
    case 413: return CommonErrorCode.PAYLOAD_TOO_LARGE;
    case 415: return CommonErrorCode.UNSUPPORTED_MEDIA_TYPE;
    case 429: return CommonErrorCode.RATE_LIMITED;
    case 503: return CommonErrorCode.SERVICE_UNAVAILABLE;
    default: return status >= 500 ? CommonErrorCode.INTERNAL_ERROR : CommonErrorCode.VALIDATION_FAILED;
  }
}
