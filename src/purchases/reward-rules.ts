import { PointSource } from '../points/entities/point-transaction.entity';

/** One version of the reward rules (reward_rule_versions); the REWARD_* configuration has the same shape without a version. */
export interface RuleSet {
  refereeBonus: number;
  referrerBonus: number;
  commissionBasisPoints: number;
  secondLevelBasisPoints: number;
  minPurchaseAmount: number;
  commissionWindowMonths: number;
  holdingDays: number;
  /** Caps the level-1 commission points one referee earns its referrer over all its purchases; null: no cap. */
  maxCommissionPerReferral?: number | null;
}

/** What the referee already earned its referrer in level-1 commissions on other purchases (for the cap). */
export interface AwardHistory {
  commissionSoFar: number;
}

export type AwardRole = 'referee' | 'referrer' | 'commission';

/**
 * Whether a posted award counts toward its beneficiary's referral earnings (referral_stats.total_earned);
 * the same rule as the view referral_earnings.
 */
export function countsAsEarned(role: AwardRole): boolean {
  return role === 'referrer' || role === 'commission';
}

/** A referral as the reward rules see it; `flagged` holds its rewards, `rejected` earns nothing. */
export interface ChainLink {
  id: string;
  status: 'pending' | 'converted' | 'flagged' | 'rejected';
  referrerId: string;
  createdAt: Date;
}

/** The buyer's referral and the referrer's own referral (the second level), when they exist. */
export interface RewardChain {
  referral: ChainLink | null;
  parent: ChainLink | null;
}

export interface RewardedPurchase {
  id: string;
  orderId: string;
  userId: string;
  amount: number;
  completedAt: Date;
  createdAt: Date;
}

export interface PlannedAward {
  key: string;
  userId: string;
  amount: number;
  source: PointSource;
  role: AwardRole;
  level: 0 | 1 | 2;
  /** Flagged referrals whose approval this award waits for. */
  heldFor: string[];
  /** Set when a holding period applies: the award stays pending until then. */
  releaseAfter: Date | null;
  description: string;
}

/**
 * Business idempotency key of an award. Keyed by the purchase's id (a UUID fixed when the order
 * is first recorded), not the order id, because order ids may be 255 characters long.
 */
export function awardKey(purchaseId: string, role: AwardRole, level: number): string {
  return `purchase:${purchaseId}:${role}:${level}`;
}

/** Key of the clawback of one award for a refund that brought the order's refunded total to `refundedTotal`. */
export function clawbackKey(purchaseId: string, role: string, level: number, refundedTotal: number): string {
  return `refund:${purchaseId}:${role}:${level}:${refundedTotal}`;
}

/**
 * What a refund takes back of an award: floor(award × refunded / amount) of the order's cumulative
 * refunded total. Rounding down keeps the sum of clawbacks within the award; a full refund takes it all.
 */
export function refundedShare(award: number, refundedTotal: number, orderAmount: number): number {
  if (refundedTotal >= orderAmount) return award;
  return Number((BigInt(award) * BigInt(refundedTotal)) / BigInt(orderAmount));
}

/** floor(amount × basisPoints / 10 000): 1 point per cent of the percentage. */
export function commission(amount: number, basisPoints: number): number {
  return Math.floor((amount * basisPoints) / 10_000);
}

/** Attributed referrals earn; rejected ones never do. */
export function isAttributed(link: ChainLink | null): link is ChainLink {
  return link !== null && link.status !== 'rejected';
}

export function withinCommissionWindow(rules: RuleSet, referral: ChainLink, completedAt: Date): boolean {
  if (rules.commissionWindowMonths === 0) return true;
  const end = new Date(referral.createdAt);
  end.setUTCMonth(end.getUTCMonth() + rules.commissionWindowMonths);
  return completedAt < end;
}

/**
 * What one purchase awards. `firstPurchase` is true when this purchase converted the referral
 * (decided under the referral's row lock, see ReferralConversionService.convert).
 */
export function planAwards(
  rules: RuleSet,
  purchase: RewardedPurchase,
  chain: RewardChain,
  firstPurchase: boolean,
  history: AwardHistory = { commissionSoFar: 0 },
): PlannedAward[] {
  const referral = chain.referral;
  if (!isAttributed(referral)) return [];
  const releaseAfter = rules.holdingDays > 0 ? new Date(purchase.createdAt.getTime() + rules.holdingDays * 86_400_000) : null;
  const flagged = (links: ChainLink[]) => links.filter((l) => l.status === 'flagged').map((l) => l.id);
  const awards: PlannedAward[] = [];
  const add = (a: Omit<PlannedAward, 'key' | 'releaseAfter'>) => {
    if (a.amount > 0) awards.push({ ...a, key: awardKey(purchase.id, a.role, a.level), releaseAfter });
  };
  if (firstPurchase && purchase.amount >= rules.minPurchaseAmount) {
    const held = flagged([referral]);
    add({ userId: purchase.userId, amount: rules.refereeBonus, source: 'referral', role: 'referee', level: 0, heldFor: held, description: 'Welcome bonus for your first purchase' });
    add({ userId: referral.referrerId, amount: rules.referrerBonus, source: 'referral', role: 'referrer', level: 1, heldFor: held, description: 'Your friend made their first purchase' });
  }
  if (!withinCommissionWindow(rules, referral, purchase.completedAt)) return awards;
  add({
    userId: referral.referrerId,
    amount: capped(commission(purchase.amount, rules.commissionBasisPoints), rules.maxCommissionPerReferral, history.commissionSoFar),
    source: 'purchase',
    role: 'commission',
    level: 1,
    heldFor: flagged([referral]),
    description: 'Commission on a purchase by your referee',
  });
  const parent = chain.parent;
  if (isAttributed(parent) && parent.referrerId !== purchase.userId) {
    add({
      userId: parent.referrerId,
      amount: commission(purchase.amount, rules.secondLevelBasisPoints),
      source: 'purchase',
      role: 'commission',
      level: 2,
      heldFor: flagged([referral, parent]),
      description: 'Commission on a purchase by a second-level referee',
    });
  }
  return awards;
}

function capped(amount: number, cap: number | null | undefined, soFar: number): number {
  if (cap === null || cap === undefined) return amount;
  return Math.max(0, Math.min(amount, cap - soFar));
}
