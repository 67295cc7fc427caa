import { CommonErrorCode, CommonException } from '../errors/common.exception';
import { isUuid } from '../uuid';

/** A position in a newest-first list: the last row's created_at (microseconds, as PostgreSQL keeps it) and id. */
export interface ListCursor {
  createdAt: string;
  id: string;
}

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
export function encodeCursor(cursor: ListCursor): string {
  return Buffer.from(`${cursor.createdAt}|${cursor.id}`, 'utf8').toString('base64url');
}

/** 400 VALIDATION_FAILED for anything this server did not hand out. */
export function decodeCursor(raw: string): ListCursor {
  const text = /^[A-Za-z0-9_-]+$/.test(raw) ? Buffer.from(raw, 'base64url').toString('utf8') : '';
  const [createdAt, id, ...rest] = text.split('|');
  if (rest.length > 0 || !TIMESTAMP.test(createdAt ?? '') || !isUuid(id) || Number.isNaN(Date.parse(createdAt))) {
    throw new CommonException(CommonErrorCode.VALIDATION_FAILED, 'cursor is malformed');
  }
  return { createdAt, id };
}
