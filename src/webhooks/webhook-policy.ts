import { lookup } from 'node:dns/promises';

/** Delivery timing and limits; a provider so tests can shorten the waits (never an env variable). */
export interface WebhookDeliveryPolicy {
  /** No answer (headers and capped body) within this is a failure. */
  timeoutMs: number;
  /** Bytes of the response body kept in the delivery log. */
  responseBodyLimit: number;
  /** pg-boss retries after the first attempt: 10 s·2ⁿ with jitter, capped at 4 h, is about 24 h in all. */
  retryLimit: number;
  retryDelaySeconds: number;
  retryDelayMaxSeconds: number;
  dispatchIntervalMs: number;
  disableAfterFailures: number;
  disableAfterFailingMs: number;
  retentionDays: number;
}

export const WEBHOOK_DELIVERY_POLICY = Symbol('WEBHOOK_DELIVERY_POLICY');

export const DEFAULT_DELIVERY_POLICY: WebhookDeliveryPolicy = {
  timeoutMs: 10_000,
  responseBodyLimit: 4096,
  retryLimit: 15,
  retryDelaySeconds: 10,
  retryDelayMaxSeconds: 4 * 3600,
  dispatchIntervalMs: 1000,
  disableAfterFailures: 100,
  disableAfterFailingMs: 3 * 24 * 3600 * 1000,
  retentionDays: 30,
};

export interface ResolvedAddress {
  address: string;
  family: number;
}

/** Every A and AAAA record of a host name; a provider so tests can make a name resolve anywhere. */
export type HostResolver = (hostname: string) => Promise<ResolvedAddress[]>;

export const WEBHOOK_HOST_RESOLVER = Symbol('WEBHOOK_HOST_RESOLVER');

export const systemResolver: HostResolver = (hostname) => lookup(hostname, { all: true, verbatim: true });
