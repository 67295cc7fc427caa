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
