import pino, { DestinationStream, Logger, LoggerOptions } from 'pino';
import { serializeError } from './error-serializer';

/**
 * Secrets and one-time codes are removed by where they travel, never by a bare key name: a
 * `*.code` rule would also hide every error's SQLSTATE.
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-signature"]',
  'req.headers["idempotency-key"]',
  'res.headers["set-cookie"]',
  'password',
  '*.password',
  '*.passwordHash',
  'token',
  '*.token',
  'accessToken',
  '*.accessToken',
  'secret',
  '*.secret',
  'body.code',
  'req.body.code',
  'data.code',
  'job.data.code',
  'mail.code',
];

export const LOGGER_OPTIONS: LoggerOptions = {
  base: { service: 'referral-points' },
  timestamp: pino.stdTimeFunctions.isoTime,
  redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
  serializers: { err: serializeError },
  formatters: { level: (label) => ({ level: label }) },
};

/**
 * Lines go to stdout as they are logged (a synchronous write, nothing held in a buffer): a
 * verification code logged when SMTP is unset, or the last words before a crash, are not late.
 */
export function createLogger(level: string, destination: DestinationStream = pino.destination({ fd: 1, sync: true })): Logger {
  return pino({ ...LOGGER_OPTIONS, level }, destination);
}
