/**
 * The outbound event types an endpoint can subscribe to (API.md, Outbound webhooks). Free of
 * imports so that the web app's admin console offers exactly these (web/src/api/types.ts).
 */
export const WEBHOOK_EVENT_TYPES = [
  'referral.created',
  'referral.flagged',
  'referral.approved',
  'referral.rejected',
  'referral.converted',
  'points.earned',
  'points.spent',
  'points.clawed_back',
  'points.expired',
  'level.changed',
  'redemption.created',
] as const;
