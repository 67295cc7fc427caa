import { Inject, Injectable } from '@nestjs/common';
import * as http from 'node:http';
import * as https from 'node:https';
import { WEBHOOK_DELIVERY_POLICY, WebhookDeliveryPolicy } from './webhook-policy';
import { WebhookUrlGuard } from './webhook-url-guard';

export interface SendResult {
  ok: boolean;
  responseStatus: number | null;
  responseBody: string | null;
  durationMs: number;
  error: string | null;
}

/**
 * One POST: no redirect followed (a 3xx is a failure), everything (connect, headers, the body
 * read up to the cap) within the timeout, and every connection through the guard's lookup.
 */
@Injectable()
export class WebhookSender {
  private readonly httpAgent: http.Agent;
  private readonly httpsAgent: https.Agent;

  constructor(
    private readonly guard: WebhookUrlGuard,
    @Inject(WEBHOOK_DELIVERY_POLICY) private readonly policy: WebhookDeliveryPolicy,
  ) {
    this.httpAgent = new http.Agent({ lookup: guard.lookup, keepAlive: false });
    this.httpsAgent = new https.Agent({ lookup: guard.lookup, keepAlive: false });
  }

  async send(rawUrl: string, headers: Record<string, string>, body: string): Promise<SendResult> {
    const started = Date.now();
    const done = (r: Omit<SendResult, 'durationMs'>): SendResult => ({ ...r, durationMs: Date.now() - started });
    let url: URL;
    try {
      // IP literals never reach the agent's lookup, so they are checked here (names are checked twice).
      url = new URL(await this.guard.check(rawUrl));
    } catch (error) {
      return done({ ok: false, responseStatus: null, responseBody: null, error: message(error) });
    }
    return new Promise<SendResult>((resolve) => {
      const isHttps = url.protocol === 'https:';
      const request = (isHttps ? https : http).request(url, {
        method: 'POST',
        agent: isHttps ? this.httpsAgent : this.httpAgent,
        headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), 'user-agent': 'referral-points-webhooks/1', ...headers },
      });
      let settled = false;
      const finish = (r: Omit<SendResult, 'durationMs'>) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        request.destroy();
        resolve(done(r));
      };
      const timer = setTimeout(
        () => finish({ ok: false, responseStatus: null, responseBody: null, error: `no answer within ${this.policy.timeoutMs / 1000} s` }),
        this.policy.timeoutMs,
      );
      request.on('error', (error) => finish({ ok: false, responseStatus: null, responseBody: null, error: message(error) }));
      request.on('response', (response) => {
        const status = response.statusCode ?? 0;
        const chunks: Buffer[] = [];
        let size = 0;
        const complete = () => {
          const text = Buffer.concat(chunks).subarray(0, this.policy.responseBodyLimit).toString('utf8').replace(/\u0000/g, '');
          const ok = status >= 200 && status < 300;
          finish({ ok, responseStatus: status, responseBody: text, error: ok ? null : status >= 300 && status < 400 ? `redirect (${status}) not followed` : `HTTP ${status}` });
        };
        response.on('data', (chunk: Buffer) => {
          chunks.push(chunk);
          size += chunk.length;
          if (size >= this.policy.responseBodyLimit) complete();
        });
        response.on('end', complete);
        response.on('error', (error) => finish({ ok: false, responseStatus: status, responseBody: null, error: message(error) }));
      });
      request.end(body);
    });
  }
}

function message(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).slice(0, 500);
}
