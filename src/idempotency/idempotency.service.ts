import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { NoPayload, OnJob } from '../jobs/job-catalogue';
import { IdempotencyKeysRepository } from './idempotency-keys.repository';
import { IdempotencyErrorCode, IdempotencyException } from './idempotency.exception';

export interface IdempotentRequest {
  caller: string;
  key: string;
  method: string;
  path: string;
  body: unknown;
}

export type Claim = { kind: 'execute' } | { kind: 'replay'; status: number; body: unknown };

/** A first request that has not finished after this long is taken to have died with its instance. */
const STALE_AFTER_SECONDS = 60;
/** How long a duplicate waits for the first request before answering IDEMPOTENCY_KEY_IN_PROGRESS. */
const WAIT_MS = 10_000;
const POLL_MS = 25;
/** Keys are remembered this long; a later repeat runs again (the ledger's own keys still stop a second spend). */
export const KEY_RETENTION_HOURS = 24;
export const CLEANUP_JOB = 'idempotency-keys-cleanup';

declare module '../jobs/job-catalogue' {
  interface JobPayloads {
    [CLEANUP_JOB]: NoPayload;
  }
}

/**
 * HTTP Idempotency-Key handling (API.md conventions): the first response for a caller's key is
 * stored with a hash of the request and replayed for a repeat; a different request with the same
 * key is IDEMPOTENCY_KEY_REUSED; a duplicate that arrives while the first runs waits for it.
 */
@Injectable()
export class IdempotencyService {
  constructor(private readonly keys: IdempotencyKeysRepository) {}

  @OnJob(CLEANUP_JOB, { schedule: '17 * * * *' })
  cleanUp(): Promise<number> {
    return this.keys.deleteOlderThan(KEY_RETENTION_HOURS);
  }

  validateKey(raw: unknown): string {
    if (typeof raw !== 'string' || raw.length < 1 || raw.length > 255 || !/^[\x21-\x7e]+$/.test(raw)) {
      throw new IdempotencyException(
        IdempotencyErrorCode.INVALID_IDEMPOTENCY_KEY,
        'Idempotency-Key must be 1..255 visible ASCII characters',
      );
    }
    return raw;
  }

  hash(req: IdempotentRequest): string {
    return createHash('sha256').update(canonicalJson([req.method.toUpperCase(), req.path, req.caller, req.body ?? null])).digest('hex');
  }

  /** Claims the key, or answers with the stored response, waiting while the first request runs. */
  async claim(req: IdempotentRequest): Promise<Claim> {
    const requestHash = this.hash(req);
    const deadline = Date.now() + WAIT_MS;
    let pollMs = POLL_MS;
    // A waiting duplicate polls with a read; it tries to claim again only once the key is free.
    let free = true;
    for (;;) {
      if (free && (await this.keys.claim(req.caller, req.key, requestHash))) return { kind: 'execute' };
      const stored = await this.keys.find(req.caller, req.key, STALE_AFTER_SECONDS);
      free = !stored; // the first request failed and released the key: claim it
      if (!stored) continue;
      if (stored.requestHash !== requestHash) {
        throw new IdempotencyException(
          IdempotencyErrorCode.IDEMPOTENCY_KEY_REUSED,
          'This Idempotency-Key was already used with a different request',
        );
      }
      if (stored.status === 'completed') return { kind: 'replay', status: stored.responseStatus!, body: stored.responseBody };
      if (stored.stale && (await this.keys.takeOver(req.caller, req.key, requestHash, STALE_AFTER_SECONDS))) {
        return { kind: 'execute' };
      }
      if (Date.now() >= deadline) {
        throw new IdempotencyException(
          IdempotencyErrorCode.IDEMPOTENCY_KEY_IN_PROGRESS,
          'A request with this Idempotency-Key is still being processed; retry shortly',
          { 'Retry-After': '1' },
        );
      }
      await new Promise((resolve) => setTimeout(resolve, pollMs));
      pollMs = Math.min(pollMs * 2, 250);
    }
  }

  complete(req: IdempotentRequest, status: number, body: unknown): Promise<void> {
    return this.keys.complete(req.caller, req.key, status, body);
  }

  /** Frees the key after a failure that changed nothing, so the client may retry it. */
  release(req: IdempotentRequest): Promise<void> {
    return this.keys.release(req.caller, req.key);
  }
}

/** JSON with object keys sorted, so that the same body hashes the same whatever its key order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
