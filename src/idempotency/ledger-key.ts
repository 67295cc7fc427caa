import { createHash, randomUUID } from 'node:crypto';
import { canonicalJson } from './idempotency.service';

/**
 * The ledger key of a request that may carry an Idempotency-Key: a fixed-length digest of the
 * client's key and what the request asks for, scoped to the caller. Fixed length, because a
 * client key may use all 255 characters the column holds; the request in it, because stored HTTP
 * keys are forgotten after a day and a reused key with another body must then act anew rather
 * than replay the old entry. Without a client key every request is its own.
 */
export function ledgerKeyFor(scope: string, callerId: string, clientKey: string | undefined, request: object): string {
  const digest = createHash('sha256')
    .update(canonicalJson([clientKey ?? randomUUID(), request]))
    .digest('base64url');
  return `${scope}:${callerId}:${digest}`;
}
