import { randomBytes } from 'node:crypto';

const JWT_SECRET = randomBytes(48).toString('base64url');
export const WEBHOOK_SECRET = randomBytes(32).toString('base64url');

/** What every app of the run sees: production mode, rate limits off, its own database. */
export function benchEnv(databaseUrl: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    NODE_ENV: 'production',
    DATABASE_URL: databaseUrl,
    JWT_SECRET,
    PURCHASE_WEBHOOK_SECRET: WEBHOOK_SECRET,
    RATE_LIMIT_SCALE: '0',
    LOG_LEVEL: 'info',
    CLICK_RECORDING: 'on',
    ...extra,
  };
}
