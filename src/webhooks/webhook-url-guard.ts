import { Inject, Injectable } from '@nestjs/common';
import type { LookupFunction } from 'node:net';
import { isIP } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { isPublicAddress } from './address-policy';
import { HostResolver, WEBHOOK_HOST_RESOLVER } from './webhook-policy';
import { WebhooksErrorCode, WebhooksException } from './webhook.exception';

/** An admin waits at most this for the name of a new URL to resolve. */
const RESOLVE_TIMEOUT_MS = 5_000;

/**
 * The SSRF guard: https only in production, and no address that is not public (every A/AAAA
 * record) unless WEBHOOK_ALLOW_PRIVATE_URLS=true. Checked when an endpoint is saved, before each
 * send, and by the agent's `lookup` at connect time, so the address connected to is the one
 * checked and a DNS answer that changes in between (rebinding) cannot slip through.
 */
@Injectable()
export class WebhookUrlGuard {
  private readonly httpsOnly: boolean;
  private readonly allowPrivate: boolean;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(WEBHOOK_HOST_RESOLVER) private readonly resolve: HostResolver,
  ) {
    this.httpsOnly = config.nodeEnv === 'production';
    this.allowPrivate = config.webhooks.allowPrivateUrls;
  }

  /** 400 INVALID_WEBHOOK_URL or WEBHOOK_URL_NOT_ALLOWED; returns the normalised URL. */
  async check(raw: string): Promise<string> {
    const url = this.parse(raw);
    if (this.allowPrivate) return url.href;
    const host = bareHost(url);
    const addresses = isIP(host) ? [host] : await this.addressesOf(host);
    if (addresses.some((a) => !isPublicAddress(a))) {
      throw new WebhooksException(WebhooksErrorCode.WEBHOOK_URL_NOT_ALLOWED, 'The URL resolves to a loopback, private or link-local address');
    }
    return url.href;
  }

  /** For net/tls: resolves, refuses the whole answer if any address is not public, connects to a checked one. */
  readonly lookup: LookupFunction = (hostname, options, callback) => {
    this.resolve(hostname).then(
      (answers) => {
        const refused = this.allowPrivate ? undefined : answers.find((a) => !isPublicAddress(a.address));
        if (refused || answers.length === 0) {
          const error = Object.assign(new Error(`${hostname} resolves to ${refused?.address ?? 'nothing'}: not allowed`), { code: 'EWEBHOOKADDRESS' });
          return callback(error, '', 0);
        }
        const wanted = options.family === 4 || options.family === 6 ? answers.filter((a) => a.family === options.family) : answers;
        if (options.all) return (callback as (e: null, a: typeof answers) => void)(null, wanted);
        const first = wanted[0] ?? answers[0];
        callback(null, first.address, first.family);
      },
      (error: NodeJS.ErrnoException) => callback(error, '', 0),
    );
  };

  private parse(raw: string): URL {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw new WebhooksException(WebhooksErrorCode.INVALID_WEBHOOK_URL, 'url is not a valid URL');
    }
    const schemes = this.httpsOnly ? ['https:'] : ['https:', 'http:'];
    if (!schemes.includes(url.protocol)) {
      throw new WebhooksException(WebhooksErrorCode.INVALID_WEBHOOK_URL, this.httpsOnly ? 'url must be https://' : 'url must be http:// or https://');
    }
    if (url.username || url.password) throw new WebhooksException(WebhooksErrorCode.INVALID_WEBHOOK_URL, 'url must not carry credentials');
    return url;
  }

  private async addressesOf(host: string): Promise<string[]> {
    try {
      const answers = await Promise.race([this.resolve(host), sleep(RESOLVE_TIMEOUT_MS).then(() => [])]);
      if (answers.length > 0) return answers.map((a) => a.address);
    } catch {
      // answered below
    }
    throw new WebhooksException(WebhooksErrorCode.INVALID_WEBHOOK_URL, `${host} does not resolve`);
  }
}

/** The host as net.connect sees it: IPv6 literals without their brackets. */
export function bareHost(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1');
}
