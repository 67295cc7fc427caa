// The shapes of /work/shared/API.md (and the OpenAPI DTOs in src/) that the web app reads.
import type { AuditAction } from '../../../src/audit/audit-actions';

export type Role = 'user' | 'admin';

export interface User {
  id: string;
  email: string;
  name: string;
  role: Role;
  referralCode: string | null;
  createdAt: string;
}

export type ReferralStatus = 'pending' | 'converted' | 'flagged' | 'rejected';

export interface SessionResult {
  accessToken: string;
  user: User;
  referral?: { status: ReferralStatus; reasons: string[] } | null;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface LevelRef {
  level: number;
  name: string;
  minPoints: number;
}

export interface MyPoints {
  total: number;
  available: number;
  pending: number;
  debt?: number;
  level: LevelRef;
  nextLevel: LevelRef | null;
  pointsToNextLevel: number;
  expiring?: { amount: number; at: string } | null;
  /** The next three are null when level windows are off (the default). */
  qualifyingPoints: number | null;
  /** Points still to earn to keep the level at the next evaluation; 0 when it is safe. */
  pointsToRetain: number | null;
  /** The next evaluation that could lower the level. */
  retainUntil: string | null;
}

export type TransactionType = 'earn' | 'spend' | 'refund' | 'clawback' | 'expire';

export interface PointTransaction {
  id: string;
  type: TransactionType;
  amount: number;
  balanceAfter: number;
  source: string;
  status?: 'posted' | 'pending' | 'voided';
  description: string | null;
  metadata: Record<string, unknown>;
  createdAt: string;
}

export interface Referral {
  id: string;
  name: string;
  email: string;
  status: ReferralStatus;
  level: number;
  joinedAt: string;
  convertedAt: string | null;
  pointsEarned: number;
  reasons?: string[];
}

export interface ReferralStats {
  totalReferrals: number;
  activeReferrals: number;
  convertedReferrals: number;
  totalEarned: number;
}

export interface ReferralPage extends Page<Referral> {
  stats: ReferralStats;
}

export interface LeaderboardRow {
  rank: number;
  userId: string;
  name: string;
  totalReferrals: number;
  convertedReferrals: number;
  totalEarned: number;
}

export interface Leaderboard {
  items: LeaderboardRow[];
  me: LeaderboardRow | null;
}

export type RewardType = 'service-credit' | 'discount-code';

export interface RedeemResult {
  transaction: PointTransaction;
  reward: { type: RewardType; value: number; code?: string };
  available: number;
}

export interface Notification {
  id: string;
  type: string;
  title: string;
  message: string;
  createdAt: string;
  readAt: string | null;
}

export interface NotificationPage extends Page<Notification> {
  unread: number;
}

export interface AnalyticsDay {
  date: string;
  clicks: number;
  signups: number;
  referredSignups: number;
  convertedReferrals: number;
  pointsAwarded: number;
  pointsRedeemed: number;
}

export interface Analytics {
  from: string;
  to: string;
  clicks: number;
  signups: number;
  referredSignups: number;
  convertedReferrals: number;
  conversionRate: number;
  pointsAwarded: number;
  pointsRedeemed: number;
  flaggedReferrals: number;
  byDay: AnalyticsDay[];
}

export interface AdminReferralParty {
  id: string;
  name: string;
  email: string;
}

export interface AdminReferral {
  id: string;
  status: ReferralStatus;
  reasons: string[];
  referrer: AdminReferralParty;
  referee: AdminReferralParty;
  createdAt: string;
  convertedAt: string | null;
  reviewedAt: string | null;
  heldPoints: number;
}

/** Socket.IO events the server emits to `user-{id}` (API.md, "Socket.IO"). */
export interface ServerEvents {
  'points-updated': { available: number; total: number; pending: number; debt: number; delta: number; transactionId: string; seq: number };
  'level-up': { userId: string; previousLevel: number; level: number; levelName: string };
  'level-down': { userId: string; previousLevel: number; level: number; levelName: string };
  'new-notification': { id: string; type: string; title: string; message: string; createdAt: string };
  'referral-signup': { refereeName: string; refereeEmail: string; totalReferrals: number };
  resync: { at: string };
}

export interface AdminUserPoints {
  total: number;
  available: number;
  pending: number;
  debt: number;
  level: number;
}

export interface AdminUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  createdAt: string;
  points: AdminUserPoints;
  referralStats: ReferralStats;
  referredBy: AdminReferralParty | null;
  flagged: boolean;
}

export interface AdminUserDetail extends AdminUser {
  referral: { status: ReferralStatus; reasons: string[]; referrer: AdminReferralParty } | null;
}

export interface AdminAddPointsResult {
  transaction: PointTransaction;
  points: { total: number; available: number; pending: number; level: number };
}

// The server's own lists (free of imports), so that the console offers exactly what the API accepts.
export { WEBHOOK_EVENT_TYPES } from '../../../src/common/events/webhook-event-types';

export type WebhookDisabledReason = 'disabled-by-admin' | 'consecutive-failures' | 'failing-for-3-days';

export interface WebhookEndpoint {
  id: string;
  url: string;
  events: string[];
  description: string | null;
  enabled: boolean;
  disabledReason: WebhookDisabledReason | null;
  failureStreak: number;
  lastDeliveryAt: string | null;
  createdAt: string;
}

export interface CreatedWebhookEndpoint extends WebhookEndpoint {
  secret: string;
}

export interface WebhookDelivery {
  id: string;
  eventId: string;
  type: string;
  attempt: number;
  status: 'pending' | 'retrying' | 'succeeded' | 'failed' | 'cancelled';
  responseStatus: number | null;
  durationMs: number | null;
  error: string | null;
  at: string;
}

export { AUDIT_ACTIONS, type AuditAction } from '../../../src/audit/audit-actions';

export interface AuditEntry {
  id: string;
  at: string;
  actor: { id: string; email: string } | 'cli';
  action: AuditAction;
  target: { type: 'user' | 'referral' | 'webhook' | 'rules'; id: string };
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  details: Record<string, unknown>;
  requestId: string | null;
}

/** API.md "Reward rules": one version; percentages as numbers (5.5 = 5.5 %), amounts in cents. */
export interface RewardRulesVersion {
  version: number;
  refereeBonus: number;
  referrerBonus: number;
  commissionPercent: number;
  secondLevelPercent: number;
  minPurchaseAmount: number;
  commissionWindowMonths: number;
  holdingDays: number;
  maxCommissionPerReferral: number | null;
  effectiveFrom: string;
  /** null: seeded from the REWARD_* configuration. */
  createdBy: string | null;
  createdAt: string;
  note: string | null;
}

export interface RewardRulesList {
  active: RewardRulesVersion | null;
  /** Soonest first. */
  scheduled: RewardRulesVersion[];
  /** Newest first; withdrawn versions are not listed. */
  history: RewardRulesVersion[];
}

export type NewRewardRules = Omit<RewardRulesVersion, 'version' | 'effectiveFrom' | 'createdBy' | 'createdAt' | 'note'> & {
  effectiveFrom?: string;
  note?: string;
};

export interface RewardPreviewAward {
  role: 'referee' | 'referrer' | 'commission';
  level: 0 | 1 | 2;
  points: number;
  heldUntil: string | null;
}

export interface RewardPreview {
  /** Null for draft rules (not created yet). */
  version: number | null;
  awards: RewardPreviewAward[];
}
