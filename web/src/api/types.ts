// The shapes of /work/shared/API.md (and the OpenAPI DTOs in src/) that the web app reads.

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
  pointsToRetain?: number | null;
  retainUntil?: string | null;
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
