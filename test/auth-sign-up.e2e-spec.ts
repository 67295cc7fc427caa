import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { PendingSignupsCleanupService } from '../src/auth/accounts/pending-signups-cleanup.service';
import { MAIL_TRANSPORT } from '../src/mail/mail-transport';
import { RealtimeService } from '../src/notifications/realtime.service';
import { MailOutbox } from './utils/mail-outbox';
import { createTestApp, TestApp } from './utils/test-app';
import { createTestUser } from './utils/test-users';

describe('sign-up, verification and resend over HTTP', () => {
  let t: TestApp;
  let db: DataSource;
  const outbox = new MailOutbox();
  let seq = 0;
  const email = (tag = 'u') => `${tag}-${++seq}-${Date.now()}@example.com`;
  const refCode = () => `C${String(++seq).padStart(7, '0')}`;

  beforeAll(async () => {
    process.env.RATE_LIMIT_SCALE = '1000';
    t = await createTestApp({ customize: (b) => b.overrideProvider(MAIL_TRANSPORT).useValue(outbox) });
    db = t.app.get(DataSource);
  });
  afterAll(() => t?.close());

  const signUp = (body: object, cookie?: string) => {
    const req = t.http.post('/api/auth/sign-up');
    if (cookie) req.set('Cookie', cookie);
    return req.send(body);
  };
  const pendingRows = async (address: string) =>
    db.query(`SELECT * FROM pending_signups WHERE email = $1`, [address.toLowerCase()]) as Promise<Array<Record<string, unknown>>>;

  describe('the full flow', () => {
    it('signs up, mails a code, verifies it into a user with a token that /me accepts', async () => {
      const address = email('Flow');
      const res = await signUp({ email: `  ${address.toUpperCase()} `, password: 'correct horse', name: ' Jane ' }).expect(202);
      expect(res.body).toEqual({ status: 'verification-sent', email: address.toLowerCase() });
      const [row] = await pendingRows(address);
      expect(row.password_hash).toMatch(/^\$argon2id\$/);
      expect(row.code_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(row.name).toBe('Jane');

      const code = await outbox.code(address.toLowerCase());
      expect(row.code_hash).not.toContain(code);
      const verified = await t.http
        .post('/api/auth/verify-email-code')
        .set('X-Device-Id', 'device-1')
        .send({ email: address, code })
        .expect(201);
      expect(verified.body.referral).toBeNull();
      expect(verified.body.user).toEqual({
        id: expect.any(String),
        email: address.toLowerCase(),
        name: 'Jane',
        role: 'user',
        referralCode: null,
        createdAt: expect.stringMatching(/Z$/),
      });
      expect(await pendingRows(address)).toHaveLength(0);
      const [user] = await db.query(`SELECT password_hash, signup_ip, signup_device_id FROM users WHERE id = $1`, [
        verified.body.user.id,
      ]);
      expect(user.password_hash).toMatch(/^\$argon2id\$/);
      expect(user.signup_ip).toMatch(/127\.0\.0\.1/);
      expect(user.signup_device_id).toBe('device-1');

      const me = await t.http.get('/api/auth/me').set('Authorization', `Bearer ${verified.body.accessToken}`).expect(200);
      expect(me.body).toEqual(verified.body.user);
      const login = await t.http.post('/api/auth/login').send({ email: address, password: 'correct horse' }).expect(200);
      expect(login.body.user).toEqual(verified.body.user);

      await t.http.post('/api/auth/verify-email-code').send({ email: address, code }).expect(400);
      const again = await signUp({ email: address, password: 'another password', name: 'Jane' }).expect(409);
      expect(again.body.code).toBe('EMAIL_TAKEN');
    });

    it('attributes the referral code from the body, trimmed and upper-cased, and tells the referrer', async () => {
      const code = refCode();
      const referrer = await createTestUser(t.app, { referralCode: code });
      const publish = vi.spyOn(t.app.get(RealtimeService), 'publish');
      const address = email('ref');
      await signUp({ email: address, password: 'password1', name: 'Referee', referralCode: ` ${code.toLowerCase()} ` }).expect(202);
      const res = await t.http
        .post('/api/auth/verify-email-code')
        .send({ email: address, code: await outbox.code(address) })
        .expect(201);
      expect(res.body.referral).toEqual({ status: 'pending', reasons: [] });
      const [row] = await db.query(`SELECT referred_by_id FROM users WHERE id = $1`, [res.body.user.id]);
      expect(row.referred_by_id).toBe(referrer.id);
      const events = publish.mock.calls.flatMap(([e]) => e);
      expect(events).toEqual([expect.objectContaining({ userId: referrer.id, event: 'referral-signup' })]);
      publish.mockRestore();
    });

    it('takes the code from the ref cookie when the body has none; the body wins over the cookie', async () => {
      const cookieCode = refCode();
      const bodyCode = refCode();
      const fromCookie = await createTestUser(t.app, { referralCode: cookieCode });
      const fromBody = await createTestUser(t.app, { referralCode: bodyCode });

      const a = email('cookie');
      await signUp({ email: a, password: 'password1', name: 'A' }, `ref=${cookieCode.toLowerCase()}`).expect(202);
      const ra = await t.http.post('/api/auth/verify-email-code').send({ email: a, code: await outbox.code(a) }).expect(201);
      expect(ra.body.referral.status).toBe('pending');

      const b = email('both');
      await signUp({ email: b, password: 'password1', name: 'B', referralCode: bodyCode }, `ref=${cookieCode}`).expect(202);
      const rb = await t.http.post('/api/auth/verify-email-code').send({ email: b, code: await outbox.code(b) }).expect(201);

      const rows = await db.query(`SELECT id, referred_by_id FROM users WHERE id = ANY($1)`, [[ra.body.user.id, rb.body.user.id]]);
      const by = Object.fromEntries(rows.map((r: { id: string; referred_by_id: string }) => [r.id, r.referred_by_id]));
      expect(by[ra.body.user.id]).toBe(fromCookie.id);
      expect(by[rb.body.user.id]).toBe(fromBody.id);
    });
  });

  describe('POST /api/auth/sign-up errors', () => {
    it('ignores a stale ref cookie (a rotated code) instead of blocking the sign-up', async () => {
      const address = email('stale');
      await signUp({ email: address, password: 'password1', name: 'X' }, 'ref=ZZZZZZZZ').expect(202);
      const rows = await pendingRows(address);
      expect(rows).toHaveLength(1);
      expect(rows[0].referral_code).toBeNull();
    });

    it('rejects an unknown referral code in the body with 400 INVALID_REFERRAL_CODE, even with a valid cookie', async () => {
      for (const [body, cookie] of [
        [{ referralCode: 'ZZZZZZZZ' }, undefined],
        [{ referralCode: 'not a code at all' }, undefined],
        [{ referralCode: 'ZZZZZZZZ' }, 'ref=ZZZZZZZZ'],
      ] as const) {
        const address = email('badref');
        const res = await signUp({ email: address, password: 'password1', name: 'X', ...body }, cookie);
        expect(res.status).toBe(400);
        expect(res.body.code).toBe('INVALID_REFERRAL_CODE');
        expect(await pendingRows(address)).toHaveLength(0);
      }
    });

    it('answers 409 EMAIL_TAKEN for an existing user, whatever the case of the address', async () => {
      const user = await createTestUser(t.app, { email: email('taken') });
      const res = await signUp({ email: user.email.toUpperCase(), password: 'password1', name: 'X' }).expect(409);
      expect(res.body).toMatchObject({ statusCode: 409, code: 'EMAIL_TAKEN' });
    });

    it('keeps the first pending sign-up on a repeat: a new code for it, the name unchanged, neither password kept when they differ', async () => {
      const address = email('repeat');
      await signUp({ email: address, password: 'password1', name: 'First' }).expect(202);
      const first = await outbox.code(address, 1);
      await signUp({ email: address, password: 'password2', name: 'Second' }).expect(202);
      const second = await outbox.code(address, 2);
      const rows = await pendingRows(address);
      expect(rows).toHaveLength(1);
      expect(rows[0].name).toBe('First');
      expect(outbox.to(address)[1].text).toContain('Hello First');
      if (first !== second) {
        const stale = await t.http.post('/api/auth/verify-email-code').send({ email: address, code: first }).expect(400);
        expect(stale.body.code).toBe('INVALID_CODE');
      }
      const ok = await t.http.post('/api/auth/verify-email-code').send({ email: address, code: second }).expect(201);
      expect(ok.body.user.name).toBe('First');
      // Contested (another password came in): the code's holder is signed in and sets one by reset.
      await t.http.post('/api/auth/login').send({ email: address, password: 'password1' }).expect(401);
      await t.http.post('/api/auth/login').send({ email: address, password: 'password2' }).expect(401);
    });

    it('leaves exactly one pending row after 20 concurrent sign-ups of one email', async () => {
      const address = email('race');
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) => signUp({ email: address, password: `password-${i}`, name: `N${i}` })),
      );
      expect(results.map((r) => r.status)).toEqual(Array(20).fill(202));
      expect(await pendingRows(address)).toHaveLength(1);
    });
  });

  describe('POST /api/auth/verify-email-code errors', () => {
    it('answers a wrong code with 400 INVALID_CODE, counts it, and locks the code after 5 wrong tries with 429', async () => {
      const address = email('wrong');
      await signUp({ email: address, password: 'password1', name: 'W' }).expect(202);
      const code = await outbox.code(address);
      const wrong = code === '000000' ? '111111' : '000000';
      for (let i = 1; i <= 5; i++) {
        const res = await t.http.post('/api/auth/verify-email-code').send({ email: address, code: wrong }).expect(400);
        expect(res.body.code).toBe('INVALID_CODE');
        expect((await pendingRows(address))[0].attempts).toBe(i);
      }
      const locked = await t.http.post('/api/auth/verify-email-code').send({ email: address, code }).expect(429);
      expect(locked.body.code).toBe('TOO_MANY_ATTEMPTS');

      await t.http.post('/api/auth/resend-code').send({ email: address }).expect(202);
      const fresh = await outbox.code(address, 2);
      expect((await pendingRows(address))[0].attempts).toBe(0);
      await t.http.post('/api/auth/verify-email-code').send({ email: address, code: fresh }).expect(201);
    });

    it('answers an expired code with 400 CODE_EXPIRED', async () => {
      const address = email('expired');
      await signUp({ email: address, password: 'password1', name: 'E' }).expect(202);
      const code = await outbox.code(address);
      await db.query(`UPDATE pending_signups SET expires_at = now() - interval '1 second' WHERE email = $1`, [address]);
      const res = await t.http.post('/api/auth/verify-email-code').send({ email: address, code }).expect(400);
      expect(res.body.code).toBe('CODE_EXPIRED');
    });

    it('answers an unknown email with 400 INVALID_CODE', async () => {
      const res = await t.http.post('/api/auth/verify-email-code').send({ email: email('nobody'), code: '123456' }).expect(400);
      expect(res.body.code).toBe('INVALID_CODE');
    });

    it('creates one user, one referral and one referral-signup event from 20 concurrent verifications', async () => {
      const code = refCode();
      const referrer = await createTestUser(t.app, { referralCode: code });
      const realtime = t.app.get(RealtimeService);
      const emit = vi.spyOn(realtime, 'emitToUser');
      const address = email('concurrent');
      await signUp({ email: address, password: 'password1', name: 'C', referralCode: code }).expect(202);
      const mailed = await outbox.code(address);
      const results = await Promise.all(
        Array.from({ length: 20 }, () => t.http.post('/api/auth/verify-email-code').send({ email: address, code: mailed })),
      );
      const statuses = results.map((r) => r.status);
      expect(statuses.filter((s) => s === 201)).toHaveLength(1);
      expect(statuses.filter((s) => s >= 500)).toHaveLength(0);
      // The losers count as wrong codes: past 10 in the hour the email answers 429.
      for (const r of results.filter((x) => x.status !== 201)) expect(['INVALID_CODE', 'TOO_MANY_ATTEMPTS']).toContain(r.body.code);
      const [{ users }] = await db.query(`SELECT count(*)::int AS users FROM users WHERE lower(email) = $1`, [address]);
      expect(users).toBe(1);
      const [{ referrals }] = await db.query(`SELECT count(*)::int AS referrals FROM referrals WHERE referrer_id = $1`, [referrer.id]);
      expect(referrals).toBe(1);
      const signupEvents = emit.mock.calls.filter(([userId, event]) => userId === referrer.id && event === 'referral-signup');
      expect(signupEvents).toHaveLength(1);
      emit.mockRestore();
    });
  });

  describe('POST /api/auth/resend-code', () => {
    it('answers 202 for an unknown email without mailing anyone', async () => {
      const address = email('ghost');
      const res = await t.http.post('/api/auth/resend-code').send({ email: address }).expect(202);
      expect(res.body).toEqual({ status: 'verification-sent', email: address });
      // A mail is a job enqueued with the answer: none exists for the ghost, so none can be sent later.
      const mailJobs = async (to: string) =>
        (await db.query(`SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'mail.send' AND data->>'to' = $1`, [to]))[0].n;
      const known = email('known');
      await signUp({ email: known, password: 'password1', name: 'K' }).expect(202);
      expect(await mailJobs(known)).toBe(1);
      expect(await mailJobs(address)).toBe(0);
      expect(outbox.to(address)).toHaveLength(0);
    });

    it('issues a new code that replaces the old one', async () => {
      const address = email('resend');
      await signUp({ email: address, password: 'password1', name: 'R' }).expect(202);
      const first = await outbox.code(address, 1);
      await t.http.post('/api/auth/resend-code').send({ email: address.toUpperCase() }).expect(202);
      const second = await outbox.code(address, 2);
      if (first !== second) {
        await t.http.post('/api/auth/verify-email-code').send({ email: address, code: first }).expect(400);
      }
      await t.http.post('/api/auth/verify-email-code').send({ email: address, code: second }).expect(201);
    });
  });

  describe('stale pending sign-ups', () => {
    it('are deleted a day after their code expired, and fresh ones are kept', async () => {
      const [stale, recent] = [email('stale-pending'), email('recent-pending')];
      await signUp({ email: stale, password: 'password1', name: 'S' }).expect(202);
      await signUp({ email: recent, password: 'password1', name: 'R' }).expect(202);
      await db.query(`UPDATE pending_signups SET expires_at = now() - interval '25 hours' WHERE email = $1`, [stale]);
      await db.query(`UPDATE pending_signups SET expires_at = now() - interval '1 hour' WHERE email = $1`, [recent]);
      expect(await t.app.get(PendingSignupsCleanupService).run()).toBeGreaterThanOrEqual(1);
      expect(await pendingRows(stale)).toHaveLength(0);
      expect(await pendingRows(recent)).toHaveLength(1);
    });
  });
});
