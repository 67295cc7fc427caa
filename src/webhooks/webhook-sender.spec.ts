import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppConfig } from '../config/app-config';
import { startReceiver, WebhookReceiver } from '../../test/utils/webhook-receiver';
import { DEFAULT_DELIVERY_POLICY, HostResolver } from './webhook-policy';
import { WebhookSender } from './webhook-sender';
import { WebhookUrlGuard } from './webhook-url-guard';

const config = (allowPrivateUrls: boolean, nodeEnv: AppConfig['nodeEnv'] = 'test') => ({ nodeEnv, webhooks: { secretKey: 'k'.repeat(32), allowPrivateUrls } }) as AppConfig;

/** A resolver whose answers are scripted per call, as a DNS server rebinding a name would give them. */
function scripted(...answers: string[][]): HostResolver & { calls: number } {
  const resolver = Object.assign(
    async () => {
      const next = answers[Math.min(resolver.calls++, answers.length - 1)];
      return next.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
    },
    { calls: 0 },
  );
  return resolver;
}

describe('WebhookSender with the SSRF guard on', () => {
  let receiver: WebhookReceiver;
  let port: string;
  beforeAll(async () => {
    receiver = await startReceiver();
    port = new URL(receiver.url).port;
  });
  afterAll(() => receiver.close());

  const sender = (resolver: HostResolver, allowPrivate = false) => new WebhookSender(new WebhookUrlGuard(config(allowPrivate), resolver), DEFAULT_DELIVERY_POLICY);

  it.each(['http://127.0.0.1', 'http://[::1]', 'http://169.254.169.254', 'http://10.0.0.1', 'http://[::ffff:127.0.0.1]', 'http://0.0.0.0'])(
    'refuses %s before connecting',
    async (base) => {
      const result = await sender(scripted([])).send(`${base}:${port}/hook`, {}, '{}');
      expect(result).toMatchObject({ ok: false, responseStatus: null, error: expect.stringContaining('loopback, private or link-local') });
    },
  );

  it('refuses a name resolving to a private address', async () => {
    const result = await sender(scripted(['93.184.216.34', '10.1.2.3'])).send(`http://mixed.test:${port}/hook`, {}, '{}');
    expect(result.ok).toBe(false);
    expect(receiver.received).toHaveLength(0);
  });

  it('checks again at connect time, so a name that rebinds to loopback after the check is refused', async () => {
    const resolver = scripted(['93.184.216.34'], ['127.0.0.1']);
    const result = await sender(resolver).send(`http://rebind.test:${port}/hook`, {}, '{}');
    expect(resolver.calls).toBe(2);
    expect(result).toMatchObject({ ok: false, error: expect.stringContaining('127.0.0.1: not allowed') });
    expect(receiver.received).toHaveLength(0);
  });

  it('connects to the address it checked when private URLs are allowed', async () => {
    const result = await sender(scripted(['127.0.0.1']), true).send(`http://receiver.test:${port}/hook`, { 'webhook-id': 'x' }, '{"a":1}');
    expect(result).toMatchObject({ ok: true, responseStatus: 204 });
    expect(receiver.received.at(-1)).toMatchObject({ body: '{"a":1}' });
  });

  it('accepts only https:// in production', async () => {
    const guard = new WebhookUrlGuard(config(true, 'production'), scripted(['93.184.216.34']));
    await expect(guard.check('http://example.com/hook')).rejects.toMatchObject({ code: 'INVALID_WEBHOOK_URL' });
    await expect(guard.check('https://example.com/hook')).resolves.toBe('https://example.com/hook');
  });
});
