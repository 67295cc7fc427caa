export {
  ALL_EVENTS,
  SUBSCRIBABLE_EVENT_TYPES,
  TEST_EVENT_TYPE,
  type PointBalancesAfter,
  type WebhookEventInput,
  type WebhookEventMap,
  type WebhookEventType,
} from '../common/events/outbound-events';
