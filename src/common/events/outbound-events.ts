/**
 * The events the product's other systems can subscribe to (API.md, Outbound webhooks). A change
 * records them in its unit of work; the webhooks module writes them to its outbox before commit.
 */
export const OUTBOUND_EVENT_TYPES = [
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

export type OutboundEventType = (typeof OUTBOUND_EVENT_TYPES)[number];

/** `data` carries ids and amounts, never a password hash or an email the contract masks elsewhere. */
export interface OutboundEvent {
  type: OutboundEventType;
  data: Record<string, unknown>;
}

declare module '../../database/unit-of-work' {
  interface RecordedEffects {
    'webhook-event': OutboundEvent;
  }
}
