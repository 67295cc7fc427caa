import { describe, expect, it } from 'vitest';
import { loadAppConfig } from '../config/app-config';
import { ConfigurationError } from '../config/environment';

const base = { JWT_SECRET: 'x'.repeat(32), DATA_DIR: '/tmp/reward-config-spec' };

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadAppConfig({ ...base, ...env });
  } catch (error) {
    if (error instanceof ConfigurationError) return error.problems;
    throw error;
  }
  return [];
}

describe('reward rules configuration', () => {
  it('defaults to give 100, get 100, 5% and 1%, no minimum, a 12-month window and no holding', () => {
    expect(loadAppConfig(base).rewards).toEqual({
      refereeBonus: 100,
      referrerBonus: 100,
      commissionBasisPoints: 500,
      secondLevelBasisPoints: 100,
      minPurchaseAmount: 0,
      commissionWindowMonths: 12,
      holdingDays: 0,
      jobExpireSeconds: 300,
    });
  });

  it('reads every variable, percents with up to two decimals', () => {
    const config = loadAppConfig({
      ...base,
      REWARD_REFEREE_BONUS: '50',
      REWARD_REFERRER_BONUS: '0',
      REWARD_COMMISSION_PERCENT: '2.5',
      REWARD_SECOND_LEVEL_PERCENT: '0.25',
      REWARD_MIN_PURCHASE_AMOUNT: '1000',
      REWARD_COMMISSION_WINDOW_MONTHS: '0',
      REWARD_HOLDING_DAYS: '14',
      PURCHASE_JOB_EXPIRE_SECONDS: '30',
      JOBS_SUPERVISE_INTERVAL_SECONDS: '5',
    });
    expect(config.rewards).toMatchObject({
      refereeBonus: 50,
      referrerBonus: 0,
      commissionBasisPoints: 250,
      secondLevelBasisPoints: 25,
      minPurchaseAmount: 1000,
      commissionWindowMonths: 0,
      holdingDays: 14,
      jobExpireSeconds: 30,
    });
    expect(config.jobSuperviseIntervalSeconds).toBe(5);
  });

  it.each([
    ['REWARD_REFEREE_BONUS', '-1'],
    ['REWARD_REFERRER_BONUS', 'lots'],
    ['REWARD_COMMISSION_PERCENT', '101'],
    ['REWARD_COMMISSION_PERCENT', '1.234'],
    ['REWARD_SECOND_LEVEL_PERCENT', 'one'],
    ['REWARD_MIN_PURCHASE_AMOUNT', '1.5'],
    ['REWARD_COMMISSION_WINDOW_MONTHS', '-3'],
    ['REWARD_HOLDING_DAYS', '400'],
    ['PURCHASE_JOB_EXPIRE_SECONDS', '0'],
    ['JOBS_SUPERVISE_INTERVAL_SECONDS', '0'],
  ])('refuses %s=%j, naming the variable', (name, value) => {
    const problems = problemsOf({ [name]: value });
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.join('\n')).toContain(name);
  });
});
