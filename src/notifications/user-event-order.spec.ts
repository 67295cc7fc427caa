import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DomainEvent } from './realtime-events';
import { UserEventOrder } from './user-event-order';

const points = (userId: string, seq: number): DomainEvent => ({
  userId,
  seq,
  event: 'points-updated',
  payload: { available: seq, total: seq, pending: 0, debt: 0, delta: 1, transactionId: `t${seq}`, seq },
});
const levelUp = (userId: string, seq: number): DomainEvent => ({
  userId,
  seq,
  event: 'level-up',
  payload: { userId, previousLevel: 1, level: 2, levelName: 'Silver' },
});
const signup = (userId: string): DomainEvent => ({
  userId,
  event: 'referral-signup',
  payload: { refereeName: 'A', refereeEmail: 'a***@example.com', totalReferrals: 1 },
});

const label = (e: DomainEvent) => (e.seq === undefined ? e.event : `${e.event}:${e.seq}`);

describe('UserEventOrder', () => {
  let out: DomainEvent[];
  let order: UserEventOrder;
  beforeEach(() => {
    vi.useFakeTimers();
    out = [];
    order = new UserEventOrder((e) => out.push(e), { holdMs: 1_000, maxUsers: 3 });
  });
  afterEach(() => vi.useRealTimers());

  describe('push', () => {
    it('delivers in order what arrives in order, the first event setting the baseline', () => {
      for (const s of [5, 6, 7]) order.push(points('u', s));
      expect(out.map(label)).toEqual(['points-updated:5', 'points-updated:6', 'points-updated:7']);
    });

    it('holds an event that arrived before an earlier change and sends both in seq order', () => {
      order.push(points('u', 1));
      order.push(points('u', 3));
      order.push(levelUp('u', 3));
      expect(out.map(label)).toEqual(['points-updated:1']);
      order.push(points('u', 2));
      expect(out.map(label)).toEqual(['points-updated:1', 'points-updated:2', 'points-updated:3', 'level-up:3']);
    });

    it('sends held events after holdMs when the missing change never comes, and drops it when it comes late', () => {
      order.push(points('u', 1));
      order.push(points('u', 3));
      vi.advanceTimersByTime(999);
      expect(out).toHaveLength(1);
      vi.advanceTimersByTime(1);
      expect(out.map(label)).toEqual(['points-updated:1', 'points-updated:3']);
      order.push(points('u', 2));
      order.push(points('u', 4));
      expect(out.map(label)).toEqual(['points-updated:1', 'points-updated:3', 'points-updated:4']);
      expect(order.dropped).toBe(1);
    });

    it('keeps an event without seq behind what is held for that user, and others unaffected', () => {
      order.push(points('u', 1));
      order.push(points('u', 3));
      order.push(signup('u'));
      order.push(points('v', 9));
      expect(out.map((e) => `${e.userId}:${label(e)}`)).toEqual(['u:points-updated:1', 'v:points-updated:9']);
      order.push(points('u', 2));
      expect(out.slice(2).map(label)).toEqual(['points-updated:2', 'points-updated:3', 'referral-signup']);
    });

    it('forgets the least recently seen user past maxUsers, delivering what it held', () => {
      order.push(points('a', 1));
      order.push(points('a', 3));
      for (const u of ['b', 'c', 'd']) order.push(points(u, 1));
      expect(out.map((e) => `${e.userId}:${label(e)}`)).toContain('a:points-updated:3');
    });
  });

  describe('reset', () => {
    it('delivers what is held and takes the next event as a new baseline', () => {
      order.push(points('u', 1));
      order.push(points('u', 3));
      order.reset();
      order.push(points('u', 9));
      expect(out.map(label)).toEqual(['points-updated:1', 'points-updated:3', 'points-updated:9']);
    });
  });
});
