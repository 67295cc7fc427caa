import { describe, expect, it } from 'vitest';
import { RewardRules } from '../config/app-config';
import { awardKey, ChainLink, commission, countsAsEarned, planAwards, refundedShare, RewardedPurchase, withinCommissionWindow } from './reward-rules';

const rules: RewardRules = {
  refereeBonus: 100,
  referrerBonus: 100,
  commissionBasisPoints: 500,
  secondLevelBasisPoints: 100,
  minPurchaseAmount: 0,
  commissionWindowMonths: 12,
  holdingDays: 0,
  jobExpireSeconds: 300,
};

const link = (fields: Partial<ChainLink> = {}): ChainLink => ({
  id: 'ref-1',
  status: 'pending',
  referrerId: 'referrer',
  createdAt: new Date('2026-01-15T00:00:00Z'),
  ...fields,
});

const purchase: RewardedPurchase = {
  id: 'p-1',
  orderId: 'o-1',
  userId: 'buyer',
  amount: 10_000,
  completedAt: new Date('2026-03-01T00:00:00Z'),
  createdAt: new Date('2026-03-01T00:00:00Z'),
};
const parent = link({ id: 'ref-0', referrerId: 'top' });

describe('reward rules', () => {
  describe('refundedShare', () => {
    it('rounds the refunded share of an award down, so cumulative clawbacks never exceed it, and takes it all on a full refund', () => {
      expect(refundedShare(100, 9_999, 10_000)).toBe(99);
      expect(refundedShare(100, 10_000, 10_000)).toBe(100);
      expect(refundedShare(100, 1, 10_000)).toBe(0);
      expect(refundedShare(500, 2_500, 10_000)).toBe(125);
      expect(refundedShare(7, 1, 3)).toBe(2);
      expect(refundedShare(1_000_000_000, 999_999_999, 1_000_000_000)).toBe(999_999_999);
      for (let refunded = 0; refunded <= 7; refunded++) {
        expect(refundedShare(3, refunded, 7)).toBeLessThanOrEqual(3);
        if (refunded > 0) expect(refundedShare(3, refunded, 7)).toBeGreaterThanOrEqual(refundedShare(3, refunded - 1, 7));
      }
    });
  });

  describe('commission', () => {
    it('takes basis points of the amount, rounding down to whole points', () => {
      expect(commission(10_000, 500)).toBe(500);
      expect(commission(2_050, 500)).toBe(102);
      expect(commission(99, 100)).toBe(0);
      expect(commission(1_000_000_000, 10_000)).toBe(1_000_000_000);
      expect(commission(333, 250)).toBe(8);
    });
  });

  describe('planAwards', () => {
    it('gives 100 and 100 on the first purchase plus 5% and 1%, each under its own key', () => {
      const awards = planAwards(rules, purchase, { referral: link(), parent }, true);
      expect(awards.map((a) => [a.key, a.userId, a.amount, a.source, a.heldFor, a.releaseAfter])).toEqual([
        [awardKey('p-1', 'referee', 0), 'buyer', 100, 'referral', [], null],
        [awardKey('p-1', 'referrer', 1), 'referrer', 100, 'referral', [], null],
        [awardKey('p-1', 'commission', 1), 'referrer', 500, 'purchase', [], null],
        [awardKey('p-1', 'commission', 2), 'top', 100, 'purchase', [], null],
      ]);
      expect(awards[0].key).toBe('purchase:p-1:referee:0');
    });

    it('pays commissions only after the first purchase, and nothing without an attributed referral', () => {
      expect(planAwards(rules, purchase, { referral: link(), parent: null }, false).map((a) => a.key)).toEqual(['purchase:p-1:commission:1']);
      expect(planAwards(rules, purchase, { referral: null, parent: null }, true)).toEqual([]);
      expect(planAwards(rules, purchase, { referral: link({ status: 'rejected' }), parent }, true)).toEqual([]);
      const rejectedParent = planAwards(rules, purchase, { referral: link(), parent: { ...parent, status: 'rejected' } }, false);
      expect(rejectedParent.map((a) => a.level)).toEqual([1]);
    });

    it('holds awards for every flagged referral they depend on', () => {
      const awards = planAwards(rules, purchase, { referral: link({ status: 'flagged' }), parent: { ...parent, status: 'flagged' } }, true);
      expect(awards.map((a) => a.heldFor)).toEqual([['ref-1'], ['ref-1'], ['ref-1'], ['ref-1', 'ref-0']]);
      const upper = planAwards(rules, purchase, { referral: link(), parent: { ...parent, status: 'flagged' } }, false);
      expect(upper.map((a) => a.heldFor)).toEqual([[], ['ref-0']]);
    });

    it('sets a release time when there is a holding period', () => {
      const awards = planAwards({ ...rules, holdingDays: 7 }, purchase, { referral: link(), parent: null }, true);
      expect(new Set(awards.map((a) => a.releaseAfter?.toISOString()))).toEqual(new Set(['2026-03-08T00:00:00.000Z']));
    });

    it('skips zero awards: disabled bonuses and commissions that round to nothing', () => {
      const awards = planAwards({ ...rules, refereeBonus: 0, secondLevelBasisPoints: 0 }, { ...purchase, amount: 10 }, { referral: link(), parent }, true);
      expect(awards.map((a) => a.key)).toEqual(['purchase:p-1:referrer:1']);
    });

    it('stops commissions outside the window after the referee signed up', () => {
      const late = { ...purchase, completedAt: new Date('2027-01-15T00:00:00Z') };
      expect(planAwards(rules, late, { referral: link(), parent }, false)).toEqual([]);
      expect(planAwards({ ...rules, commissionWindowMonths: 0 }, late, { referral: link(), parent }, false)).toHaveLength(2);
    });
  });

  describe('planAwards under a version', () => {
    it('caps the level-1 commission at what maxCommissionPerReferral leaves after earlier ones, level 2 and bonuses untouched', () => {
      const capped = { ...rules, maxCommissionPerReferral: 700 };
      const amounts = (soFar: number, first = false) =>
        planAwards(capped, purchase, { referral: link(), parent }, first, { commissionSoFar: soFar }).map((a) => [a.role, a.level, a.amount]);
      expect(amounts(0)).toEqual([['commission', 1, 500], ['commission', 2, 100]]);
      expect(amounts(400)).toEqual([['commission', 1, 300], ['commission', 2, 100]]);
      expect(amounts(700)).toEqual([['commission', 2, 100]]);
      expect(amounts(900)).toEqual([['commission', 2, 100]]);
      expect(amounts(700, true)).toEqual([['referee', 0, 100], ['referrer', 1, 100], ['commission', 2, 100]]);
      expect(planAwards({ ...rules, maxCommissionPerReferral: null }, purchase, { referral: link(), parent }, false, { commissionSoFar: 1e9 })[0].amount).toBe(500);
    });

    it('pays the first-purchase bonuses only from minPurchaseAmount, as the worker converts', () => {
      const min = { ...rules, minPurchaseAmount: 10_001 };
      expect(planAwards(min, purchase, { referral: link(), parent: null }, true).map((a) => a.role)).toEqual(['commission']);
      expect(planAwards({ ...min, minPurchaseAmount: 10_000 }, purchase, { referral: link(), parent: null }, true).map((a) => a.role)).toEqual(['referee', 'referrer', 'commission']);
    });
  });

  describe('countsAsEarned', () => {
    it("counts the referrer's bonus and commissions at every level, not the referee's welcome bonus", () => {
      const awards = planAwards(rules, purchase, { referral: link(), parent }, true);
      expect(awards.filter((a) => countsAsEarned(a.role)).map((a) => a.key)).toEqual([
        'purchase:p-1:referrer:1',
        'purchase:p-1:commission:1',
        'purchase:p-1:commission:2',
      ]);
    });
  });

  describe('withinCommissionWindow', () => {
    it('counts calendar months in UTC, the end excluded', () => {
      const r = link({ createdAt: new Date('2026-01-31T12:00:00Z') });
      const one = { ...rules, commissionWindowMonths: 1 };
      expect(withinCommissionWindow(one, r, new Date('2026-03-03T12:00:00Z'))).toBe(false);
      expect(withinCommissionWindow(one, r, new Date('2026-03-03T11:59:59Z'))).toBe(true);
    });
  });
});
