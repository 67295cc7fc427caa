import { Injectable, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../test/utils/manual-clock';
import { Clock, ClockModule, SystemClock } from './clock';

@Injectable()
class Expiry {
  constructor(private readonly clock: Clock) {}
  expired(at: Date): boolean {
    return this.clock.now() >= at;
  }
}

@Module({ providers: [Expiry] })
class ExpiryModule {}

describe('Clock', () => {
  it('is the system time by default, for every module (global)', async () => {
    const ref = await Test.createTestingModule({ imports: [ClockModule, ExpiryModule] }).compile();
    expect(ref.get(Clock)).toBeInstanceOf(SystemClock);
    const before = Date.now();
    const now = ref.get(Clock).now().getTime();
    expect(now).toBeGreaterThanOrEqual(before);
    expect(now).toBeLessThanOrEqual(Date.now());
  });

  it('moves only when a test moves it, through a testing override', async () => {
    const clock = new ManualClock(new Date('2026-01-01T00:00:00Z'));
    const ref = await Test.createTestingModule({ imports: [ClockModule, ExpiryModule] }).overrideProvider(Clock).useValue(clock).compile();
    const expiry = ref.get(Expiry);
    const at = new Date('2026-01-31T00:00:00Z');
    expect(expiry.expired(at)).toBe(false);
    clock.advance(30 * 86_400_000);
    expect(expiry.expired(at)).toBe(true);
  });
});
