import pino, { Logger } from 'pino';

/** Anything that may hold a secret is removed before a log line is written. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-signature"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.passwordHash',
  '*.code',
  '*.token',
  '*.accessToken',
  '*.secret',
];

export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'referral-points' },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    formatters: { level: (label) => ({ level: label }) },
  });
}
