import { Agent } from 'node:http';
import { signWebhookBody } from '../../src/purchases/webhook-signature.guard';
import { HttpAnswer, httpCall } from './http-call';

export type LoadOpKind = 'award' | 'redeem' | 'purchase';

export interface LoadAnswer {
  kind: LoadOpKind;
  status: number;
  code?: string;
  retryAfter?: string;
  error?: string;
  instance: number;
  at: number;
}

/** One client request, repeated unchanged (same key, same body) until it gets a final answer. */
export interface LoadOp {
  index: number;
  kind: LoadOpKind;
  /** Idempotency-Key of an award or redeem, orderId of a purchase. */
  key: string;
  userId: string;
  path: string;
  body: string;
  headers: Record<string, string>;
  answers: LoadAnswer[];
}

export type LoadOutcome = 'accepted' | 'refused' | 'unknown';

export interface LoadActor {
  id: string;
  token: string;
}

export interface PointsLoadOptions {
  instances: string[];
  admin: LoadActor;
  /** Get admin awards and redeem: the users whose sockets are watched. */
  earners: LoadActor[];
  /** Referred users whose purchases are reported by signed webhook. */
  buyers: string[];
  webhookSecret: string;
  runId: string;
  /** A keep-alive agent, as a load balancer or SDK would use; default: a connection per call. */
  agent?: Agent;
  /** Which instance gets an op's `attempt`-th call; default: round-robin, a retry on the next one. */
  route?: (op: LoadOp, attempt: number) => number;
  awardAmount?: number;
  redeemAmount?: number;
  purchaseAmount?: number;
}

/** What a client may see from a healthy service under faults: 2xx, 409, 429 or 503 with Retry-After. */
export function answerAllowed(a: LoadAnswer): boolean {
  if (a.status >= 200 && a.status < 300) return true;
  if (a.status === 409 || a.status === 429) return true;
  return a.status === 503 && a.retryAfter !== undefined && a.retryAfter !== '';
}

export function outcomeOf(op: LoadOp): LoadOutcome {
  const last = op.answers.at(-1);
  if (!last) return 'unknown';
  if (last.status >= 200 && last.status < 300) return 'accepted';
  if (last.status === 409 && last.code === 'INSUFFICIENT_POINTS') return 'refused';
  return 'unknown';
}

/**
 * A bounded mix of admin awards (Idempotency-Key), redeems (Idempotency-Key) and signed purchase
 * webhooks across the instances, round-robin, the way clients retry: the same request again.
 */
export class PointsLoad {
  readonly ops: LoadOp[] = [];
  private next = 0;

  constructor(private readonly options: PointsLoadOptions) {}

  get answers(): LoadAnswer[] {
    return this.ops.flatMap((op) => op.answers);
  }

  acceptedSince(at: number): number {
    return this.answers.filter((a) => a.at >= at && a.status >= 200 && a.status < 300).length;
  }

  /** `workers` loops, each pausing `pauseMs` between calls, until `stop()` or `maxOps` ops. */
  async run(options: { workers: number; pauseMs: number; maxOps: number; stop: () => boolean }): Promise<void> {
    const worker = async () => {
      while (!options.stop() && this.ops.length < options.maxOps) {
        const op = this.create();
        await this.send(op);
        await new Promise((r) => setTimeout(r, options.pauseMs));
      }
    };
    await Promise.all(Array.from({ length: options.workers }, worker));
  }

  /**
   * Repeats every op without a final answer, `rounds` times at most, `concurrency` at once. An op
   * once answered IDEMPOTENCY_KEY_IN_PROGRESS is not repeated: each repeat would wait 10 s for a
   * first request that may be gone, until its key goes stale.
   */
  async settle(options: { rounds: number; concurrency: number; pauseMs: number; until?: number }): Promise<void> {
    const until = options.until ?? Infinity;
    for (let round = 0; round < options.rounds && Date.now() < until; round++) {
      const open = this.ops.filter((op) => outcomeOf(op) === 'unknown' && !op.answers.some((a) => a.code === 'IDEMPOTENCY_KEY_IN_PROGRESS'));
      if (open.length === 0) return;
      let i = 0;
      const worker = async () => {
        while (i < open.length && Date.now() < until) await this.send(open[i++]);
      };
      await Promise.all(Array.from({ length: Math.min(options.concurrency, open.length) }, worker));
      await new Promise((r) => setTimeout(r, options.pauseMs));
    }
  }

  private create(): LoadOp {
    const n = this.next++;
    const o = this.options;
    const pick = n % 5;
    const earner = o.earners[n % o.earners.length];
    let op: LoadOp;
    if (pick === 0 || pick === 2) {
      const key = `${o.runId}-award-${n}`;
      op = {
        index: n,
        kind: 'award',
        key,
        userId: earner.id,
        path: '/api/points/admin/add',
        body: JSON.stringify({ userId: earner.id, amount: o.awardAmount ?? 10, reason: key }),
        headers: { Authorization: `Bearer ${o.admin.token}`, 'Idempotency-Key': key },
        answers: [],
      };
    } else if (pick === 4) {
      const key = `${o.runId}-redeem-${n}`;
      op = {
        index: n,
        kind: 'redeem',
        key,
        userId: earner.id,
        path: '/api/points/redeem',
        body: JSON.stringify({ amount: o.redeemAmount ?? 15, reward: 'service-credit' }),
        headers: { Authorization: `Bearer ${earner.token}`, 'Idempotency-Key': key },
        answers: [],
      };
    } else {
      const orderId = `${o.runId}-order-${n}`;
      const buyer = o.buyers[n % o.buyers.length];
      const body = JSON.stringify({ orderId, userId: buyer, amount: o.purchaseAmount ?? 2_000, currency: 'USD' });
      op = {
        index: n,
        kind: 'purchase',
        key: orderId,
        userId: buyer,
        path: '/api/purchases/completed',
        body,
        headers: { 'X-Signature': signWebhookBody(o.webhookSecret, body) },
        answers: [],
      };
    }
    this.ops.push(op);
    return op;
  }

  private async send(op: LoadOp): Promise<void> {
    // By default a retry goes to the next instance, as behind a load balancer.
    const instance = this.options.route?.(op, op.answers.length) ?? (op.index + op.answers.length) % this.options.instances.length;
    const answer = await httpCall(this.options.instances[instance], 'POST', op.path, {
      headers: op.headers,
      body: op.body,
      agent: this.options.agent,
    });
    op.answers.push(record(op.kind, answer, instance));
  }
}

function record(kind: LoadOpKind, answer: HttpAnswer, instance: number): LoadAnswer {
  const retryAfter = answer.headers['retry-after'];
  const code = answer.body && typeof answer.body === 'object' ? answer.body.code : undefined;
  return {
    kind,
    status: answer.status,
    ...(typeof code === 'string' ? { code } : {}),
    ...(typeof retryAfter === 'string' ? { retryAfter } : {}),
    ...(answer.error ? { error: answer.error } : {}),
    instance,
    at: Date.now(),
  };
}

/** `answers` summarised as `status[ code]` → count, for failure messages and reports. */
export function tally(answers: LoadAnswer[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const a of answers) {
    const k = a.status === 0 ? `0 ${a.error}` : `${a.status}${a.code ? ` ${a.code}` : ''}${a.status === 503 && !a.retryAfter ? ' (no Retry-After)' : ''}`;
    out[k] = (out[k] ?? 0) + 1;
  }
  return out;
}
