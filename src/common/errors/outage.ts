import { CommonErrorCode } from './common.exception';
import { ErrorBody } from './error-body';

/** Seconds a client should wait before retrying while the database is away. */
export const OUTAGE_RETRY_AFTER_SECONDS = 5;

// Node socket errors that mean "the database is not there", not "the request was wrong".
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
// PostgreSQL SQLSTATEs of a server going away or not accepting work: admin/crash shutdown,
// cannot connect now, too many connections, and every connection exception (class 08).
const SERVER_CODES = new Set(['57P01', '57P02', '57P03', '53300']);
// node-postgres and pg-pool report a lost or unobtainable connection only by message.
const MESSAGES = [
  /connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /connection (?:was )?(?:closed|ended)/i,
  /client has encountered a connection error/i,
  /cannot use a pool after calling end/i,
  /driver not connected/i,
  // TypeORM releases a query runner whose connection failed; the next query (a commit, even) then
  // meets a released runner, and whether that commit landed is unknown: an outage, not a bug.
  /query runner already released/i,
  /connection provided by a query runner was already released/i,
];

/** True when `error` (or what it wraps) is the database being unreachable: an outage, answered 503. */
export function isDatabaseOutage(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== 'object' || depth > 4) return false;
  const { code, message, driverError, cause } = error as { code?: unknown; message?: unknown; driverError?: unknown; cause?: unknown };
  if (typeof code === 'string' && (NETWORK_CODES.has(code) || SERVER_CODES.has(code) || /^08[0-9A-Z]{3}$/.test(code))) return true;
  if (typeof message === 'string' && MESSAGES.some((pattern) => pattern.test(message))) return true;
  if (error instanceof AggregateError && error.errors.some((e) => isDatabaseOutage(e, depth + 1))) return true;
  return isDatabaseOutage(driverError, depth + 1) || isDatabaseOutage(cause, depth + 1);
}

/** API.md's outage answer: 503 with Retry-After. */
export function outageResponse(): { body: ErrorBody; headers: Record<string, string> } {
  return {
    body: { statusCode: 503, code: CommonErrorCode.SERVICE_UNAVAILABLE, message: 'The service is temporarily unavailable: retry later' },
    headers: { 'Retry-After': String(OUTAGE_RETRY_AFTER_SECONDS) },
  };
}
