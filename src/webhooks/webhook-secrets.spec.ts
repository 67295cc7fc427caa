import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AppConfig, loadAppConfig } from '../config/app-config';
import { signingKey, WebhookSecrets } from './webhook-secrets';
import { signWebhook } from './webhook-signature';

const secrets = (secretKey: string) => new WebhookSecrets({ webhooks: { secretKey } } as AppConfig);

describe('WebhookSecrets', () => {
  it('generates whsec_ + base64 of 32 random bytes, never twice the same', () => {
    const a = secrets('k'.repeat(32)).generate();
    expect(a).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(signingKey(a)).toHaveLength(32);
    expect(secrets('k'.repeat(32)).generate()).not.toBe(a);
  });

  it('round-trips through AES-256-GCM, with a fresh IV each time, and refuses another key or a tampered byte', () => {
    const s = secrets('k'.repeat(32));
    const secret = s.generate();
    const one = s.encrypt(secret);
    expect(one.toString('latin1')).not.toContain(secret.slice(6));
    expect(s.encrypt(secret).equals(one)).toBe(false);
    expect(s.decrypt(one)).toBe(secret);
    expect(() => secrets('j'.repeat(32)).decrypt(one)).toThrow();
    const tampered = Buffer.from(one);
    tampered[tampered.length - 1] ^= 1;
    expect(() => s.decrypt(tampered)).toThrow();
  });

  it('derives its key from WEBHOOK_SECRET_KEY when set, else from JWT_SECRET', () => {
    const base = { NODE_ENV: 'test', JWT_SECRET: 'j'.repeat(40) };
    expect(loadAppConfig(base).webhooks).toEqual({ secretKey: 'j'.repeat(40), allowPrivateUrls: false });
    expect(loadAppConfig({ ...base, WEBHOOK_SECRET_KEY: 'w'.repeat(32), WEBHOOK_ALLOW_PRIVATE_URLS: 'true' }).webhooks).toEqual({ secretKey: 'w'.repeat(32), allowPrivateUrls: true });
    expect(() => loadAppConfig({ ...base, WEBHOOK_SECRET_KEY: 'short' })).toThrow(/WEBHOOK_SECRET_KEY/);
    expect(() => loadAppConfig({ ...base, WEBHOOK_ALLOW_PRIVATE_URLS: 'yes' })).toThrow(/WEBHOOK_ALLOW_PRIVATE_URLS/);
  });
});

describe('signWebhook', () => {
  it('is v1, + base64 HMAC-SHA256 of id.timestamp.body keyed by the decoded secret', () => {
    const key = Buffer.alloc(32, 7);
    const secret = `whsec_${key.toString('base64')}`;
    const expected = createHmac('sha256', key).update('msg_1.1700000000.{"a":1}').digest('base64');
    expect(signWebhook(secret, 'msg_1', 1700000000, '{"a":1}')).toBe(`v1,${expected}`);
  });
});
