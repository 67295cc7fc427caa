import { describe, expect, it } from 'vitest';
import { loadAppConfig } from './app-config';
import { ConfigurationError, validateEnvironment } from './environment';

function problemsOf(env: Record<string, string>): string[] {
  try {
    validateEnvironment(env);
  } catch (error) {
    if (error instanceof ConfigurationError) return error.problems;
    throw error;
  }
  return [];
}

describe('validateEnvironment', () => {
  it('accepts an empty environment with the documented defaults', () => {
    const vars = validateEnvironment({});
    expect(vars.PORT).toBe(3000);
    expect(vars.NODE_ENV).toBe('development');
    expect(vars.DATABASE_URL).toBeUndefined();
    expect(vars.POINTS_EXPIRY_DAYS).toBe(0);
    expect(vars.POINTS_EXPIRY_REMINDER_DAYS).toBe(7);
    expect(vars.LEVEL_WINDOW_MONTHS).toBe(0);
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['DATABASE_URL', 'mysql://x'],
    ['PUBLIC_URL', 'not a url'],
    ['FRONTEND_URL', 'ftp://example.com'],
    ['JWT_SECRET', 'short'],
    ['SMTP_URL', 'http://mail'],
    ['REDIS_URL', 'localhost:6379'],
    ['NODE_ENV', 'staging'],
    ['RATE_LIMIT_SCALE', '-1'],
    ['LOG_LEVEL', 'verbose'],
    ['METRICS_TOKEN', 'too-short'],
    ['POINTS_EXPIRY_DAYS', '-1'],
    ['POINTS_EXPIRY_DAYS', '1.5'],
    ['POINTS_EXPIRY_REMINDER_DAYS', 'soon'],
    ['LEVEL_WINDOW_MONTHS', '121'],
    ['LEVEL_WINDOW_MONTHS', 'a year'],
  ])('names %s when it is %j', (name, value) => {
    const problems = problemsOf({ [name]: value });
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.join('\n')).toContain(name);
  });

  it('requires JWT_SECRET in production', () => {
    expect(problemsOf({ NODE_ENV: 'production' }).join('\n')).toMatch(/JWT_SECRET is required/);
  });

  it('requires the Google secret with the Google client id', () => {
    expect(problemsOf({ GOOGLE_CLIENT_ID: 'id' }).join('\n')).toMatch(/GOOGLE_CLIENT_SECRET/);
  });

  it('reports every bad variable at once', () => {
    const problems = problemsOf({ PORT: 'x', REDIS_URL: 'nope' });
    expect(problems.some((p) => p.includes('PORT'))).toBe(true);
    expect(problems.some((p) => p.includes('REDIS_URL'))).toBe(true);
  });
});

describe('loadAppConfig', () => {
  it('holds no test-only hooks: the crash tests pause the awards from their own preload (test/utils/award-pause-preload.mjs)', () => {
    const config = loadAppConfig({ PURCHASE_AWARD_DELAY_MS: '30000' });
    expect(config.rewards).not.toHaveProperty('awardDelayMs');
    expect(JSON.stringify(config)).not.toContain('30000');
  });

  it('derives FRONTEND_URL from PUBLIC_URL and PUBLIC_URL from PORT', () => {
    const secret = 'x'.repeat(40);
    expect(loadAppConfig({ PORT: '4100', JWT_SECRET: secret })).toMatchObject({
      publicUrl: 'http://localhost:4100',
      frontendUrl: 'http://localhost:4100',
    });
    expect(loadAppConfig({ PUBLIC_URL: 'https://ref.example.com/', JWT_SECRET: secret }).frontendUrl).toBe(
      'https://ref.example.com',
    );
  });
});
