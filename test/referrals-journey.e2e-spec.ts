import { TestingModuleBuilder } from '@nestjs/testing';
import { DataSource } from 'typeorm';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAppConfig } from '../src/config/app-config';
import { APP_CONFIG } from '../src/config/config.module';
import { MAIL_TRANSPORT } from '../src/mail/mail-transport';
import { ClickRecorderService } from '../src/referrals/click-recorder.service';
import { MailOutbox } from './utils/mail-outbox';
import { createTestApp, TestApp } from './utils/test-app';
import { connectSocket, waitUntilCrossInstanceLive } from './utils/sockets';
import { until } from './utils/wait';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The whole referral path over HTTP and a real socket, on two instances: the referrer gets a
 * code, a friend follows the short link on instance A, signs up with the cookie and verifies,
 * and the referrer's socket on instance B hears about it once.
 */
describe('referral journey across two instances', () => {
  let a: TestApp;
  let b: TestApp;
  let socket: Socket | undefined;
  const outbox = new MailOutbox();

  beforeAll(async () => {
    process.env.RATE_LIMIT_SCALE = '1000';
    const customize = (x: TestingModuleBuilder) =>
      x
        .overrideProvider(MAIL_TRANSPORT)
        .useValue(outbox)
        .overrideProvider(APP_CONFIG)
        .useFactory({ factory: () => ({ ...loadAppConfig(), trustProxy: 'loopback' }) });
    a = await createTestApp({ customize });
    b = await createTestApp({ customize });
  });
  afterAll(async () => {
    socket?.disconnect();
    await a?.close();
    await b?.close();
  });

  // TRUST_PROXY=loopback: X-Forwarded-For gives each person their own address.
  async function register(app: TestApp, email: string, name: string, opts: { ip: string; cookie?: string; device?: string }) {
    const signUp = app.http.post('/api/auth/sign-up').set('X-Forwarded-For', opts.ip);
    if (opts.cookie) signUp.set('Cookie', opts.cookie);
    if (opts.device) signUp.set('X-Device-Id', opts.device);
    await signUp.send({ email, password: 'password123', name }).expect(202);
    const verify = app.http.post('/api/auth/verify-email-code').set('X-Forwarded-For', opts.ip);
    if (opts.device) verify.set('X-Device-Id', opts.device);
    const res = await verify.send({ email, code: await outbox.code(email.toLowerCase()) }).expect(201);
    return res.body as { accessToken: string; user: { id: string }; referral: { status: string; reasons: string[] } | null };
  }

  it('attributes a short-link sign-up and tells the referrer once, on another instance', async () => {
    const referrer = await register(a, 'ref.owner@example.com', 'Owner', { ip: '198.51.100.10', device: 'owner-device' });
    expect(referrer.referral).toBeNull();
    const { code } = (await a.http.post('/api/points/generate-referral-code').set('Authorization', `Bearer ${referrer.accessToken}`).expect(201)).body;

    socket = await connectSocket(b.url, referrer.accessToken);
    await waitUntilCrossInstanceLive(a, referrer.user.id, socket);
    const heard: unknown[] = [];
    socket.on('referral-signup', (p) => heard.push(p));

    const click = await a.http
      .get(`/r/${code.toLowerCase()}`)
      .set('X-Forwarded-For', '203.0.113.20')
      .set('X-Device-Id', 'friend-device')
      .expect(302);
    const cookie = ([] as string[]).concat(click.headers['set-cookie'])[0].split(';')[0];
    expect(cookie).toBe(`ref=${code}`);

    const friend = await register(a, 'Friend.One@example.com', 'Friend', { ip: '203.0.113.20', cookie, device: 'friend-device' });
    expect(friend.referral).toEqual({ status: 'pending', reasons: [] });

    await until(() => heard.length, (n) => n > 0, 10_000);
    await sleep(300);
    expect(heard).toEqual([{ refereeName: 'Friend', refereeEmail: 'f***@example.com', totalReferrals: 1 }]);

    // The same device as the referrer: attributed but flagged, and announced too.
    const twin = await register(a, 'twin@example.com', 'Twin', { ip: '203.0.113.30', cookie, device: 'owner-device' });
    expect(twin.referral).toEqual({ status: 'flagged', reasons: ['SAME_DEVICE'] });
    await until(() => heard.length, (n) => n >= 2, 10_000);
    expect(heard[1]).toEqual({ refereeName: 'Twin', refereeEmail: 't***@example.com', totalReferrals: 2 });

    const list = await b.http.get('/api/points/referrals').set('Authorization', `Bearer ${referrer.accessToken}`).expect(200);
    expect(list.body.items.map((i: { name: string; status: string }) => [i.name, i.status])).toEqual([
      ['Twin', 'flagged'],
      ['Friend', 'pending'],
    ]);
    expect(list.body.stats.totalReferrals).toBe(2);

    await a.app.get(ClickRecorderService).flush();
    const clicks = await a.app.get(DataSource).query(`SELECT device_id, ip_hash FROM referral_clicks WHERE referrer_id = $1`, [referrer.user.id]);
    expect(clicks).toEqual([{ device_id: 'friend-device', ip_hash: a.app.get(ClickRecorderService).hashIp('203.0.113.20') }]);
  });
});
