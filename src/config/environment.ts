import { plainToInstance, Transform } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  Min,
  MinLength,
  getMetadataStorage,
  validateSync,
} from 'class-validator';

const toInt = ({ value }: { value: unknown }) =>
  typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;
const toNumber = ({ value }: { value: unknown }) =>
  typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value)) ? Number(value) : value;
const emptyToUndefined = ({ value }: { value: unknown }) =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;

const urlOptions = { require_tld: false, require_protocol: true, protocols: ['http', 'https'] };

/** Every variable of API.md's Configuration section, validated once at boot. */
export class EnvironmentVariables {
  @IsIn(['development', 'production', 'test'])
  NODE_ENV: 'development' | 'production' | 'test' = 'development';

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/\S+$/, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsUrl(urlOptions, { message: 'PUBLIC_URL must be an http(s) URL' })
  PUBLIC_URL?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsUrl(urlOptions, { message: 'FRONTEND_URL must be an http(s) URL' })
  FRONTEND_URL?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'JWT_SECRET must be at least 32 characters' })
  JWT_SECRET?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^smtps?:\/\/\S+$/, { message: 'SMTP_URL must be an smtp:// or smtps:// URL' })
  SMTP_URL?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  MAIL_FROM?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @MinLength(16, { message: 'PURCHASE_WEBHOOK_SECRET must be at least 16 characters' })
  PURCHASE_WEBHOOK_SECRET?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  TRUST_PROXY?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^rediss?:\/\/\S+$/, { message: 'REDIS_URL must be a redis:// or rediss:// URL' })
  REDIS_URL?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  GOOGLE_CLIENT_ID?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  GOOGLE_CLIENT_SECRET?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsUrl(urlOptions, { message: 'GOOGLE_AUTH_URL must be an http(s) URL' })
  GOOGLE_AUTH_URL?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsUrl(urlOptions, { message: 'GOOGLE_TOKEN_URL must be an http(s) URL' })
  GOOGLE_TOKEN_URL?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsUrl(urlOptions, { message: 'GOOGLE_USERINFO_URL must be an http(s) URL' })
  GOOGLE_USERINFO_URL?: string;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL: string = 'info';

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  DATA_DIR?: string;

  /** Multiplies every rate limit; 0 turns them off (load tests). */
  @Transform(({ value }) => (typeof value === 'string' && value.trim() !== '' ? Number(value) : value))
  @IsNumber({ allowNaN: false, allowInfinity: false }, { message: 'RATE_LIMIT_SCALE must be a number >= 0' })
  @Min(0, { message: 'RATE_LIMIT_SCALE must be a number >= 0' })
  RATE_LIMIT_SCALE = 1;

  /** A referrer with this many referees in the last hour has further sign-ups flagged (VELOCITY). */
  @Transform(toInt)
  @IsInt({ message: 'REFERRAL_VELOCITY_PER_HOUR must be an integer >= 1' })
  @Min(1, { message: 'REFERRAL_VELOCITY_PER_HOUR must be an integer >= 1' })
  REFERRAL_VELOCITY_PER_HOUR = 10;

  /** Whether GET /r/:code records clicks for the funnel (on/off, true/false, 1/0). */
  @Transform(({ value }) => (typeof value === 'string' ? value.trim().toLowerCase() : value))
  @IsIn(['on', 'off', 'true', 'false', '1', '0'], { message: 'CLICK_RECORDING must be on or off' })
  CLICK_RECORDING = 'on';

  /** Reward rules (issue 5): points for the referee and the referrer on the referee's first purchase. */
  @Transform(toInt)
  @IsInt({ message: 'REWARD_REFEREE_BONUS must be an integer from 0 to 1000000' })
  @Min(0, { message: 'REWARD_REFEREE_BONUS must be an integer from 0 to 1000000' })
  @Max(1_000_000, { message: 'REWARD_REFEREE_BONUS must be an integer from 0 to 1000000' })
  REWARD_REFEREE_BONUS = 100;

  @Transform(toInt)
  @IsInt({ message: 'REWARD_REFERRER_BONUS must be an integer from 0 to 1000000' })
  @Min(0, { message: 'REWARD_REFERRER_BONUS must be an integer from 0 to 1000000' })
  @Max(1_000_000, { message: 'REWARD_REFERRER_BONUS must be an integer from 0 to 1000000' })
  REWARD_REFERRER_BONUS = 100;

  /** Percent of every purchase amount (1 point per cent) for the referrer; up to two decimals. */
  @Transform(toNumber)
  @IsNumber({ allowNaN: false, allowInfinity: false, maxDecimalPlaces: 2 }, { message: 'REWARD_COMMISSION_PERCENT must be a number from 0 to 100' })
  @Min(0, { message: 'REWARD_COMMISSION_PERCENT must be a number from 0 to 100' })
  @Max(100, { message: 'REWARD_COMMISSION_PERCENT must be a number from 0 to 100' })
  REWARD_COMMISSION_PERCENT = 5;

  /** Percent for the referrer's own referrer. */
  @Transform(toNumber)
  @IsNumber({ allowNaN: false, allowInfinity: false, maxDecimalPlaces: 2 }, { message: 'REWARD_SECOND_LEVEL_PERCENT must be a number from 0 to 100' })
  @Min(0, { message: 'REWARD_SECOND_LEVEL_PERCENT must be a number from 0 to 100' })
  @Max(100, { message: 'REWARD_SECOND_LEVEL_PERCENT must be a number from 0 to 100' })
  REWARD_SECOND_LEVEL_PERCENT = 1;

  /** Cents; a first purchase below it neither converts the referral nor pays the bonuses. */
  @Transform(toInt)
  @IsInt({ message: 'REWARD_MIN_PURCHASE_AMOUNT must be an integer from 0 to 1000000000' })
  @Min(0, { message: 'REWARD_MIN_PURCHASE_AMOUNT must be an integer from 0 to 1000000000' })
  @Max(1_000_000_000, { message: 'REWARD_MIN_PURCHASE_AMOUNT must be an integer from 0 to 1000000000' })
  REWARD_MIN_PURCHASE_AMOUNT = 0;

  /** Commissions only for purchases within this many months of the referee's sign-up; 0 = forever. */
  @Transform(toInt)
  @IsInt({ message: 'REWARD_COMMISSION_WINDOW_MONTHS must be an integer from 0 to 1200' })
  @Min(0, { message: 'REWARD_COMMISSION_WINDOW_MONTHS must be an integer from 0 to 1200' })
  @Max(1200, { message: 'REWARD_COMMISSION_WINDOW_MONTHS must be an integer from 0 to 1200' })
  REWARD_COMMISSION_WINDOW_MONTHS = 12;

  /** Days every purchase award stays pending before it becomes spendable; 0 = at once. */
  @Transform(toInt)
  @IsInt({ message: 'REWARD_HOLDING_DAYS must be an integer from 0 to 365' })
  @Min(0, { message: 'REWARD_HOLDING_DAYS must be an integer from 0 to 365' })
  @Max(365, { message: 'REWARD_HOLDING_DAYS must be an integer from 0 to 365' })
  REWARD_HOLDING_DAYS = 0;

  /** Days after which a posted credit's unspent points expire; 0 = never. */
  @Transform(toInt)
  @IsInt({ message: 'POINTS_EXPIRY_DAYS must be an integer from 0 to 3650' })
  @Min(0, { message: 'POINTS_EXPIRY_DAYS must be an integer from 0 to 3650' })
  @Max(3650, { message: 'POINTS_EXPIRY_DAYS must be an integer from 0 to 3650' })
  POINTS_EXPIRY_DAYS = 0;

  /** Days before a lot expires that its user is told, once. */
  @Transform(toInt)
  @IsInt({ message: 'POINTS_EXPIRY_REMINDER_DAYS must be an integer from 0 to 365' })
  @Min(0, { message: 'POINTS_EXPIRY_REMINDER_DAYS must be an integer from 0 to 365' })
  @Max(365, { message: 'POINTS_EXPIRY_REMINDER_DAYS must be an integer from 0 to 365' })
  POINTS_EXPIRY_REMINDER_DAYS = 7;

  /** Months of points that set the level (rolling, evaluated daily); 0 = lifetime. */
  @Transform(toInt)
  @IsInt({ message: 'LEVEL_WINDOW_MONTHS must be an integer from 0 to 120' })
  @Min(0, { message: 'LEVEL_WINDOW_MONTHS must be an integer from 0 to 120' })
  @Max(120, { message: 'LEVEL_WINDOW_MONTHS must be an integer from 0 to 120' })
  LEVEL_WINDOW_MONTHS = 0;

  /** How long a purchase job may stay active before pg-boss considers its worker dead and re-runs it. */
  @Transform(toInt)
  @IsInt({ message: 'PURCHASE_JOB_EXPIRE_SECONDS must be an integer from 1 to 86400' })
  @Min(1, { message: 'PURCHASE_JOB_EXPIRE_SECONDS must be an integer from 1 to 86400' })
  @Max(86_400, { message: 'PURCHASE_JOB_EXPIRE_SECONDS must be an integer from 1 to 86400' })
  PURCHASE_JOB_EXPIRE_SECONDS = 300;

  /** How often pg-boss's maintenance fails expired jobs (and deletes finished ones of queues that ask for it). */
  @Transform(toInt)
  @IsInt({ message: 'JOBS_SUPERVISE_INTERVAL_SECONDS must be an integer from 1 to 3600' })
  @Min(1, { message: 'JOBS_SUPERVISE_INTERVAL_SECONDS must be an integer from 1 to 3600' })
  @Max(3600, { message: 'JOBS_SUPERVISE_INTERVAL_SECONDS must be an integer from 1 to 3600' })
  JOBS_SUPERVISE_INTERVAL_SECONDS = 10;

  /** When set, GET /metrics requires `Authorization: Bearer <METRICS_TOKEN>`. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @MinLength(16, { message: 'METRICS_TOKEN must be at least 16 characters' })
  METRICS_TOKEN?: string;

  /** Key material for the webhook secrets at rest; unset: derived from JWT_SECRET. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'WEBHOOK_SECRET_KEY must be at least 32 characters' })
  WEBHOOK_SECRET_KEY?: string;

  /** Lets webhook URLs resolve to loopback, private and link-local addresses (tests, local setups). */
  @Transform(({ value }) => (typeof value === 'string' ? value.trim().toLowerCase() : value))
  @IsIn(['true', 'false'], { message: 'WEBHOOK_ALLOW_PRIVATE_URLS must be true or false' })
  WEBHOOK_ALLOW_PRIVATE_URLS = 'false';
}

export class ConfigurationError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigurationError';
  }
}

/** Every variable the class declares, read from its validation metadata. */
const KEYS = [
  ...new Set(
    getMetadataStorage()
      .getTargetValidationMetadatas(EnvironmentVariables, '', true, false)
      .map((m) => m.propertyName),
  ),
];

/** Parses and checks `env`; throws a ConfigurationError naming each bad variable. */
export function validateEnvironment(env: Record<string, unknown>): EnvironmentVariables {
  const relevant = Object.fromEntries(Object.entries(env).filter(([key]) => KEYS.includes(key)));
  const parsed = plainToInstance(EnvironmentVariables, relevant);
  const problems = validateSync(parsed).flatMap((e) => Object.values(e.constraints ?? {}).map((m) => qualify(e.property, m)));
  if (parsed.GOOGLE_CLIENT_ID && !parsed.GOOGLE_CLIENT_SECRET) {
    problems.push('GOOGLE_CLIENT_SECRET is required when GOOGLE_CLIENT_ID is set');
  }
  if (parsed.NODE_ENV === 'production' && !parsed.JWT_SECRET) {
    problems.push('JWT_SECRET is required when NODE_ENV=production');
  }
  if (problems.length > 0) throw new ConfigurationError(problems);
  return parsed;
}

function qualify(property: string, message: string): string {
  return message.startsWith(property) ? message : `${property}: ${message}`;
}
