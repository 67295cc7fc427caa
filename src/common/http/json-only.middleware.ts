import type { NextFunction, Request, Response } from 'express';
import { CommonErrorCode, CommonException } from '../errors/common.exception';

/** Whether the request carries body bytes (an empty POST with Content-Length: 0 does not). */
function carriesBody(req: Request): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/**
 * API.md: JSON in and out. A body of any other type is a 415, before a parser reads it: Express
 * would otherwise turn a form-encoded body into fields, and leave any other one unread.
 */
export function jsonOnly(req: Request, _res: Response, next: NextFunction): void {
  if (!carriesBody(req)) return next();
  const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (type === 'application/json') return next();
  next(new CommonException(CommonErrorCode.UNSUPPORTED_MEDIA_TYPE, 'Request bodies must be JSON (Content-Type: application/json)'));
}
