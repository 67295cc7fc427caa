import { canonicalEmail } from '../users/email-canonical';

export type SignupRiskReason = 'SELF_REFERRAL' | 'REFERRER_DELETED' | 'SAME_IP' | 'SAME_DEVICE' | 'VELOCITY';
export type SignupVerdict = 'pending' | 'flagged' | 'rejected';

export interface SignupSignals {
  referrer: { id: string; email: string; signupIp: string | null; signupDeviceId: string | null; deleted: boolean };
  referee: { id: string; email: string; ip: string | null; deviceId: string | null };
  /** Referees the referrer gained in the last hour, before this one. */
  recentReferees: number;
  velocityPerHour: number;
}

const REJECTING: SignupRiskReason[] = ['SELF_REFERRAL', 'REFERRER_DELETED'];

/**
 * Rejected (not attributed) when the sign-up cannot count at all; flagged (attributed,
 * rewards held for review) when it looks like one person farming referrals.
 */
export function judgeSignup(s: SignupSignals): { status: SignupVerdict; reasons: SignupRiskReason[] } {
  const reasons: SignupRiskReason[] = [];
  if (s.referrer.id === s.referee.id || canonicalEmail(s.referrer.email) === canonicalEmail(s.referee.email)) {
    reasons.push('SELF_REFERRAL');
  }
  if (s.referrer.deleted) reasons.push('REFERRER_DELETED');
  if (s.referee.ip && s.referrer.signupIp && sameIp(s.referee.ip, s.referrer.signupIp)) reasons.push('SAME_IP');
  if (s.referee.deviceId && s.referee.deviceId === s.referrer.signupDeviceId) reasons.push('SAME_DEVICE');
  if (s.recentReferees >= s.velocityPerHour) reasons.push('VELOCITY');
  const status: SignupVerdict = reasons.some((r) => REJECTING.includes(r)) ? 'rejected' : reasons.length > 0 ? 'flagged' : 'pending';
  return { status, reasons };
}

/** `::ffff:1.2.3.4` (IPv4 on a dual-stack socket) and `1.2.3.4` are one address. */
function sameIp(a: string, b: string): boolean {
  const norm = (ip: string) => ip.trim().toLowerCase().replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, '');
  return norm(a) === norm(b);
}
