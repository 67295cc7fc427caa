import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AppConfig } from '../config/app-config';
import { ClickRecorderService } from './click-recorder.service';
import type { ReferralClick, ReferralsRepository } from './referrals.repository';

const INSERT_MS = 10;

describe('ClickRecorderService', () => {
  let batches: ReferralClick[][];
  let failing: boolean;
  let attempts: number;
  let recorder: ClickRecorderService;

  beforeEach(() => {
    vi.useFakeTimers();
    batches = [];
    failing = false;
    attempts = 0;
    const repository = {
      insertClicks: (clicks: ReferralClick[]) => {
        attempts += 1;
        return new Promise<void>((resolve, reject) =>
          setTimeout(() => {
            if (failing) return reject(new Error('connection refused'));
            batches.push(clicks);
            resolve();
          }, INSERT_MS),
        );
      },
    } as unknown as ReferralsRepository;
    recorder = new ClickRecorderService({ clickRecording: true, jwtSecret: 'test-secret' } as AppConfig, repository);
  });

  afterEach(() => vi.useRealTimers());

  const click = (n: number) => ({ referrerId: `r${n}`, code: 'CODE', ip: '203.0.113.7', deviceId: null });
  const written = () => batches.flat().map((c) => c.referrerId);

  it('writes steady traffic in one INSERT per interval, not one per INSERT it waited on', async () => {
    // 1,000 clicks/s for 2 s while each INSERT takes 10 ms.
    for (let n = 0; n < 2_000; n++) {
      recorder.record(click(n));
      await vi.advanceTimersByTimeAsync(1);
    }
    const done = recorder.flush();
    await vi.advanceTimersByTimeAsync(100);
    await done;
    expect(written()).toEqual(Array.from({ length: 2_000 }, (_, n) => `r${n}`));
    // Every 200 ms: 10 INSERTs of ~200 clicks, and the final flush.
    expect(batches.length).toBeLessThanOrEqual(12);
    expect(Math.min(...batches.slice(0, -1).map((b) => b.length))).toBeGreaterThanOrEqual(150);
  });

  it('splits a burst into INSERTs of at most 500 and resolves flush once all of it is written', async () => {
    for (let n = 0; n < 1_234; n++) recorder.record(click(n));
    const done = recorder.flush();
    await vi.advanceTimersByTimeAsync(100);
    await done;
    expect(batches.map((b) => b.length)).toEqual([500, 500, 234]);
    expect(new Set(written()).size).toBe(1_234);
  });

  it('stores a keyed hash of the IP, never the IP', async () => {
    recorder.record(click(1));
    const done = recorder.flush();
    await vi.advanceTimersByTimeAsync(20);
    await done;
    expect(batches[0][0].ipHash).toMatch(/^[0-9a-f]{64}$/);
    expect(batches[0][0].ipHash).toBe(recorder.hashIp('203.0.113.7'));
    expect(JSON.stringify(batches)).not.toContain('203.0.113.7');
  });

  it('gives up a write once when the database is away, and records again when it is back', async () => {
    failing = true;
    for (let n = 0; n < 1_500; n++) recorder.record(click(n));
    let done = recorder.flush();
    await vi.advanceTimersByTimeAsync(100);
    await done;
    expect(batches).toEqual([]);
    expect(attempts).toBe(1);
    failing = false;
    recorder.record(click(9));
    done = recorder.flush();
    await vi.advanceTimersByTimeAsync(20);
    await done;
    expect(written()).toEqual(['r9']);
  });
});
