import { WEBHOOK_EVENT_TYPES } from './webhook-event-types';

/**
 * The event types of API.md's "Outbound webhooks" and the `data` each carries: ids, amounts and
 * balances a receiver needs, never an email, a password hash or a discount code. A change records
 * them in its unit of work (`tx.record('webhook-event', …)`); the webhooks module writes them to
 * its outbox before commit.
 */
export interface PointBalancesAfter {
  total: number;
  available: number;
  pending: number;
  debt: number;
}

interface ReferralParties {
  referralId: string;
  referrerId: string;
  refereeId: string;
}

/** One ledger entry; `amount` is signed as in the ledger. */
interface PointsMovement {
  userId: string;
  transactionId: string;
  amount: number;
  balanceAfter: PointBalancesAfter;
}

export interface WebhookEventMap {
  'referral.created': ReferralParties & { status: 'pending' | 'flagged' };
  'referral.flagged': ReferralParties & { reasons: string[] };
  'referral.approved': ReferralParties & { status: 'pending' | 'converted' };
  'referral.rejected': ReferralParties;
  'referral.converted': ReferralParties & { purchaseId: string | null };
  'points.earned': PointsMovement & { source: string; status: 'posted' | 'pending'; purchaseId: string | null };
  'points.spent': PointsMovement & { source: string; redemptionId: string | null };
  'points.clawed_back': PointsMovement & { purchaseId: string | null; debtAdded: number };
  'points.expired': PointsMovement & { expiredAt: string };
  'level.changed': { userId: string; previousLevel: number; level: number; levelName: string; direction: 'up' | 'down' };
  'redemption.created': { redemptionId: string; userId: string; transactionId: string; type: string; value: number; points: number };
  'webhook.test': { endpointId: string; message: string };
}

export type WebhookEventType = keyof WebhookEventMap;

/** What `WebhookOutbox.record` takes: a type and its data, checked against each other (`webhook.test` is the admin API's). */
export type WebhookEventInput = { [K in Exclude<WebhookEventType, 'webhook.test'>]: { type: K; data: WebhookEventMap[K] } }[Exclude<WebhookEventType, 'webhook.test'>];

/** The types an endpoint can subscribe to (`webhook.test` goes only to the endpoint tested); each is one of the map's. */
export const SUBSCRIBABLE_EVENT_TYPES = WEBHOOK_EVENT_TYPES satisfies readonly Exclude<WebhookEventType, 'webhook.test'>[];

export const ALL_EVENTS = '*';
export const TEST_EVENT_TYPE = 'webhook.test' satisfies WebhookEventType;

declare module '../../database/unit-of-work' {
  interface RecordedEffects {
    'webhook-event': WebhookEventInput;
  }
}
