import { CommonErrorCode, CommonException } from '../errors/common.exception';
import { parseDateTime } from '../http/date-time';
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
  if (rest.length > 0 || !TIMESTAMP.test(createdAt ?? '') || !isUuid(id) || !parseDateTime(createdAt)) {
    throw new CommonException(CommonErrorCode.VALIDATION_FAILED, 'cursor is malformed');
  }
  return { createdAt, id };
}

/** SQL for a row's created_at as a cursor carries it: UTC, to the microsecond. */
export function cursorTimeSql(column: string): string {
  return `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
}

/** What a list request asks for: `limit` (default 20) rows after `after` (an empty cursor is malformed too). */
export function pageRequest(query: { limit?: number; cursor?: string }): { limit: number; after: ListCursor | undefined } {
  return { limit: query.limit ?? 20, after: query.cursor === undefined ? undefined : decodeCursor(query.cursor) };
}

/** The page from `limit + 1` rows fetched newest first: the extra row only says whether more follow. */
export function toPage<R, T>(rows: R[], limit: number, cursorOf: (row: R) => ListCursor, map: (row: R) => T) {
  const page = rows.slice(0, limit);
  return {
    items: page.map(map),
    nextCursor: rows.length > limit ? encodeCursor(cursorOf(page[page.length - 1])) : null,
  };
}
