import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { EnvironmentVariables, validateEnvironment } from './environment';

/** The resolved, typed configuration: what the rest of the app reads. */
export interface AppConfig {
  nodeEnv: EnvironmentVariables['NODE_ENV'];
  port: number;
  databaseUrl?: string;
  publicUrl: string;
  frontendUrl: string;
  jwtSecret: string;
  smtpUrl?: string;
  mailFrom: string;
  purchaseWebhookSecret?: string;
  trustProxy?: string;
  redisUrl?: string;
  /** Set only when GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET are; the URLs default to Google's. */
  google?: { clientId: string; clientSecret: string; authUrl: string; tokenUrl: string; userInfoUrl: string };
  logLevel: string;
  dataDir: string;
  rateLimitScale: number;
  referralVelocityPerHour: number;
  clickRecording: boolean;
  rewards: RewardRules;
  /** POINTS_EXPIRY_DAYS (0 = never) and POINTS_EXPIRY_REMINDER_DAYS. */
  pointsExpiry: { days: number; reminderDays: number };
  /** LEVEL_WINDOW_MONTHS: the rolling window of qualifying points; 0 = lifetime. */
  levelWindowMonths: number;
  jobSuperviseIntervalSeconds: number;
  metricsToken?: string;
  /** `secretKey`: WEBHOOK_SECRET_KEY, else JWT_SECRET (the webhook secrets' encryption key is derived from it). */
  webhooks: { secretKey: string; allowPrivateUrls: boolean };
}

/** The purchase reward rules (issue 5), one typed object; percents are kept as basis points. */
export interface RewardRules {
  refereeBonus: number;
  referrerBonus: number;
  commissionBasisPoints: number;
  secondLevelBasisPoints: number;
  minPurchaseAmount: number;
  commissionWindowMonths: number;
  holdingDays: number;
  jobExpireSeconds: number;
}

export function loadAppConfig(env: Record<string, unknown> = process.env): AppConfig {
  const vars = validateEnvironment(env);
  const dataDir = resolve(vars.DATA_DIR ?? '.data');
  const publicUrl = stripSlash(vars.PUBLIC_URL ?? `http://localhost:${vars.PORT}`);
  const jwtSecret = vars.JWT_SECRET ?? developmentSecret(dataDir);
  return {
    nodeEnv: vars.NODE_ENV,
    port: vars.PORT,
    databaseUrl: vars.DATABASE_URL,
    publicUrl,
    frontendUrl: stripSlash(vars.FRONTEND_URL ?? publicUrl),
    jwtSecret,
    smtpUrl: vars.SMTP_URL,
    mailFrom: vars.MAIL_FROM ?? 'Referrals <no-reply@localhost>',
    purchaseWebhookSecret: vars.PURCHASE_WEBHOOK_SECRET,
    trustProxy: vars.TRUST_PROXY,
    redisUrl: vars.REDIS_URL,
    google:
      vars.GOOGLE_CLIENT_ID && vars.GOOGLE_CLIENT_SECRET
        ? {
            clientId: vars.GOOGLE_CLIENT_ID,
            clientSecret: vars.GOOGLE_CLIENT_SECRET,
            authUrl: vars.GOOGLE_AUTH_URL ?? 'https://accounts.google.com/o/oauth2/v2/auth',
            tokenUrl: vars.GOOGLE_TOKEN_URL ?? 'https://oauth2.googleapis.com/token',
            userInfoUrl: vars.GOOGLE_USERINFO_URL ?? 'https://openidconnect.googleapis.com/v1/userinfo',
          }
        : undefined,
    logLevel: vars.LOG_LEVEL,
    dataDir,
    rateLimitScale: vars.RATE_LIMIT_SCALE,
    referralVelocityPerHour: vars.REFERRAL_VELOCITY_PER_HOUR,
    clickRecording: ['on', 'true', '1'].includes(vars.CLICK_RECORDING),
    rewards: {
      refereeBonus: vars.REWARD_REFEREE_BONUS,
      referrerBonus: vars.REWARD_REFERRER_BONUS,
      commissionBasisPoints: Math.round(vars.REWARD_COMMISSION_PERCENT * 100),
      secondLevelBasisPoints: Math.round(vars.REWARD_SECOND_LEVEL_PERCENT * 100),
      minPurchaseAmount: vars.REWARD_MIN_PURCHASE_AMOUNT,
      commissionWindowMonths: vars.REWARD_COMMISSION_WINDOW_MONTHS,
      holdingDays: vars.REWARD_HOLDING_DAYS,
      jobExpireSeconds: vars.PURCHASE_JOB_EXPIRE_SECONDS,
    },
    pointsExpiry: { days: vars.POINTS_EXPIRY_DAYS, reminderDays: vars.POINTS_EXPIRY_REMINDER_DAYS },
    levelWindowMonths: vars.LEVEL_WINDOW_MONTHS,
    jobSuperviseIntervalSeconds: vars.JOBS_SUPERVISE_INTERVAL_SECONDS,
    metricsToken: vars.METRICS_TOKEN,
    webhooks: { secretKey: vars.WEBHOOK_SECRET_KEY ?? jwtSecret, allowPrivateUrls: vars.WEBHOOK_ALLOW_PRIVATE_URLS === 'true' },
  };
}

/** Outside production a secret is generated once and kept, so tokens survive restarts. */
function developmentSecret(dataDir: string): string {
  const file = join(dataDir, 'jwt-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  writeFileSync(file, secret, { mode: 0o600, flag: 'wx' });
  return secret;
}

function stripSlash(url: string): string {
  return url.replace(/\/+$/, '');
}
