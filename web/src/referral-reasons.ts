import type { ReferralStatus } from './api/types';

/** Risk reasons (src/fraud/fraud-rules.ts) said kindly, for the people they concern. */
const REASONS: Record<string, string> = {
  SAME_IP: 'signed up from the same network as the referrer',
  SAME_DEVICE: 'signed up from the same device as the referrer',
  VELOCITY: 'many sign-ups arrived with this code in a short time',
  SELF_REFERRAL: 'a referral code cannot be used for one’s own account',
  REFERRER_DELETED: 'the referrer’s account has been closed',
};

export function reasonText(reason: string): string {
  return REASONS[reason] ?? reason.toLowerCase().replace(/_/g, ' ');
}

export const STATUS_LABEL: Record<ReferralStatus, string> = {
  pending: 'Joined',
  converted: 'Purchased',
  flagged: 'Under review',
  rejected: 'Not counted',
};

/** What a referrer sees next to a referral that is not plain sailing. */
export function statusExplanation(status: ReferralStatus, reasons: string[] = []): string | null {
  const why = reasons.length ? ` (${reasons.map(reasonText).join('; ')})` : '';
  if (status === 'flagged') return `We are taking a quick look at this sign-up${why}. Rewards are held until it is approved.`;
  if (status === 'rejected') return `This sign-up could not be counted as a referral${why}.`;
  return null;
}
