import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PasswordHasher } from '../src/auth/accounts/password-hasher';
import { MAIL_TRANSPORT } from '../src/mail/mail-transport';
import { MailOutbox } from './utils/mail-outbox';
import { connectSocket } from './utils/sockets';
import { createTestApp, TestApp } from './utils/test-app';
import { createTestUser } from './utils/test-users';
import { until } from './utils/wait';

/** Issue 10, items 1 and 2: pending sign-ups cannot be taken over, code guesses are capped per email, and password reset. */
describe('sign-up takeover, code guesses and password reset over HTTP', () => {
  let t: TestApp;
  let db: DataSource;
  const outbox = new MailOutbox();
  let seq = 0;
  const email = (tag: string) => `${tag}-${++seq}-${Date.now()}@example.com`;

  beforeAll(async () => {
    process.env.RATE_LIMIT_SCALE = '1000';
    t = await createTestApp({ customize: (b) => b.overrideProvider(MAIL_TRANSPORT).useValue(outbox) });
    db = t.app.get(DataSource);
  });
  afterAll(() => t?.close());

  const post = (path: string, body: object) => t.http.post(`/api/auth/${path}`).send(body);
  const wrongFor = (code: string) => (code === '000000' ? '111111' : '000000');
  const mailJobs = async (to: string) =>
    (await db.query(`SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'mail.send' AND data->>'to' = $1`, [to]))[0].n as number;

  describe('a repeated sign-up for a pending email', () => {
    it('changes nothing pending; a repeat with another password is contested, so the code activates neither password', async () => {
      const referrer = await createTestUser(t.app, { referralCode: `T${String(++seq).padStart(7, '0')}` });
      const victim = email('victim');
      await post('sign-up', { email: victim, password: 'owner password', name: 'Owner' }).expect(202);
      const attacker = await post('sign-up', {
        email: victim.toUpperCase(),
        password: 'attacker password',
        name: 'Attacker',
        referralCode: (await db.query(`SELECT referral_code FROM users WHERE id = $1`, [referrer.id]))[0].referral_code,
      });
      expect(attacker.status).toBe(202);
      expect(attacker.body).toEqual({ status: 'verification-sent', email: victim });
      const [row] = await db.query(`SELECT name, referral_code, contested FROM pending_signups WHERE email = $1`, [victim]);
      expect(row).toEqual({ name: 'Owner', referral_code: null, contested: true });

      const newest = await outbox.code(victim, 2);
      const verified = await post('verify-email-code', { email: victim, code: newest }).expect(201);
      expect(verified.body.user.name).toBe('Owner');
      expect(verified.body.referral).toBeNull();
      // The mailbox owner is signed in by the code and sets a password with a reset.
      await t.http.get('/api/auth/me').set('Authorization', `Bearer ${verified.body.accessToken}`).expect(200);
      for (const password of ['owner password', 'attacker password']) {
        expect((await post('login', { email: victim, password }).expect(401)).body.code).toBe('INVALID_CREDENTIALS');
      }
    });

    it('gives whoever signed up first with another\'s email no way in when the owner signs up and verifies', async () => {
      const victim = email('prehijack');
      await post('sign-up', { email: victim, password: 'attacker password', name: 'Attacker' }).expect(202);
      await post('sign-up', { email: victim, password: 'owner password', name: 'Owner' }).expect(202);
      await post('verify-email-code', { email: victim, code: await outbox.code(victim, 2) }).expect(201);
      await post('login', { email: victim, password: 'attacker password' }).expect(401);
    });

    it('keeps the password when the repeat brings the same one', async () => {
      const owner = email('repeat');
      await post('sign-up', { email: owner, password: 'same password', name: 'Owner' }).expect(202);
      await post('sign-up', { email: owner, password: 'same password', name: 'Owner' }).expect(202);
      await post('verify-email-code', { email: owner, code: await outbox.code(owner, 2) }).expect(201);
      await post('login', { email: owner, password: 'same password' }).expect(200);
    });
  });

  describe('wrong codes per email and hour', () => {
    it('answers the 11th wrong code within an hour with 429 TOO_MANY_ATTEMPTS across resends and repeated sign-ups, the right code too', async () => {
      const address = email('guess');
      await post('sign-up', { email: address, password: 'password1', name: 'G' }).expect(202);
      let mails = 1;
      const guessAgainst = async (times: number) => {
        const code = await outbox.code(address, mails);
        for (let i = 0; i < times; i++) {
          const res = await post('verify-email-code', { email: address, code: wrongFor(code) });
          expect(res.status).toBe(400);
          expect(res.body.code).toBe('INVALID_CODE');
        }
      };
      await guessAgainst(4);
      await post('resend-code', { email: address }).expect(202);
      mails++;
      await guessAgainst(4);
      await post('sign-up', { email: address, password: 'password9', name: 'G again' }).expect(202);
      mails++;
      await guessAgainst(2);

      const right = await outbox.code(address, mails);
      const blocked = await post('verify-email-code', { email: address, code: right });
      expect(blocked.status).toBe(429);
      expect(blocked.body).toMatchObject({ statusCode: 429, code: 'TOO_MANY_ATTEMPTS' });
      const retryAfter = Number(blocked.headers['retry-after']);
      expect(retryAfter).toBeGreaterThan(3000);
      expect(retryAfter).toBeLessThanOrEqual(3600);
      await post('resend-code', { email: address }).expect(202);
      mails++;
      expect((await post('verify-email-code', { email: address, code: await outbox.code(address, mails) })).status).toBe(429);

      // The hour passes.
      await db.query(`UPDATE code_failures SET failed_at = failed_at - interval '1 hour' WHERE email = $1`, [address]);
      await post('verify-email-code', { email: address, code: await outbox.code(address, mails) }).expect(201);
    });

    it('answers an email with no pending sign-up the same way, so the 429 tells nothing', async () => {
      const ghost = email('ghost');
      const statuses: number[] = [];
      for (let i = 0; i < 11; i++) statuses.push((await post('verify-email-code', { email: ghost, code: '123456' })).status);
      expect(statuses).toEqual([...Array(10).fill(400), 429]);
    });

    it('still locks one code after 5 wrong tries, before the hourly cap', async () => {
      const address = email('lock');
      await post('sign-up', { email: address, password: 'password1', name: 'L' }).expect(202);
      const code = await outbox.code(address);
      for (let i = 0; i < 5; i++) await post('verify-email-code', { email: address, code: wrongFor(code) }).expect(400);
      const locked = await post('verify-email-code', { email: address, code }).expect(429);
      expect(locked.body.code).toBe('TOO_MANY_ATTEMPTS');
      expect(locked.headers['retry-after']).toBeUndefined();
    });
  });

  describe('forgot-password and reset-password', () => {
    async function account(password = 'old password') {
      const passwordHash = await t.app.get(PasswordHasher).hash(password);
      return createTestUser(t.app, { email: email('reset'), name: 'Rita', passwordHash });
    }

    it('answers 202 with one body whether or not the account exists, and mails a code only when it does', async () => {
      const user = await account();
      const ghost = email('nobody');
      const known = await post('forgot-password', { email: user.email }).expect(202);
      const unknown = await post('forgot-password', { email: ghost }).expect(202);
      expect(known.body).toEqual({ status: 'verification-sent', email: user.email });
      expect(unknown.body).toEqual({ status: 'verification-sent', email: ghost });
      expect(Object.keys(known.headers).sort()).toEqual(Object.keys(unknown.headers).sort());
      expect(await outbox.code(user.email)).toMatch(/^\d{6}$/);
      const requestState = async (address: string) =>
        (await db.query(`SELECT state FROM pgboss.job WHERE name = 'auth.code-request' AND data->>'email' = $1`, [address]))[0]?.state;
      await until(() => requestState(ghost), (state) => state === 'completed', 10_000);
      expect(await mailJobs(ghost)).toBe(0);
      expect(outbox.to(ghost)).toHaveLength(0);
    });

    it('sets the new password with the mailed code, and tokens and sockets from before stop working', async () => {
      const user = await account('old password');
      const before = await post('login', { email: user.email, password: 'old password' }).expect(200);
      const oldToken: string = before.body.accessToken;
      const socket = await connectSocket(t.url, oldToken);
      let dropped = false;
      socket.on('disconnect', () => (dropped = true));

      await post('forgot-password', { email: ` ${user.email.toUpperCase()} ` }).expect(202);
      const code = await outbox.code(user.email);
      const wrong = await post('reset-password', { email: user.email, code: wrongFor(code), password: 'new password' }).expect(400);
      expect(wrong.body.code).toBe('INVALID_CODE');
      await post('reset-password', { email: user.email, code, password: 'short' }).expect(400);

      const reset = await post('reset-password', { email: user.email, code, password: 'new password' }).expect(200);
      expect(reset.body.user).toMatchObject({ id: user.id, email: user.email, name: 'Rita', role: 'user' });
      const me = (token: string) => t.http.get('/api/auth/me').set('Authorization', `Bearer ${token}`);
      expect((await me(oldToken).expect(401)).body.code).toBe('UNAUTHORIZED');
      await t.http.get('/api/points/my-points').set('Authorization', `Bearer ${oldToken}`).expect(401);
      await me(reset.body.accessToken).expect(200);
      await until(() => dropped, (d) => d, 5_000);
      socket.close();

      await post('login', { email: user.email, password: 'old password' }).expect(401);
      await post('login', { email: user.email, password: 'new password' }).expect(200);
      // The code is spent.
      expect((await post('reset-password', { email: user.email, code, password: 'third password' }).expect(400)).body.code).toBe('INVALID_CODE');
    });

    it('follows the code rules: expired is 400 CODE_EXPIRED, an unknown email 400 INVALID_CODE, the 11th wrong code in an hour 429', async () => {
      const user = await account();
      await post('forgot-password', { email: user.email }).expect(202);
      const code = await outbox.code(user.email);
      await db.query(`UPDATE password_resets SET expires_at = now() - interval '1 second' WHERE user_id = $1`, [user.id]);
      expect((await post('reset-password', { email: user.email, code, password: 'new password' }).expect(400)).body.code).toBe('CODE_EXPIRED');
      expect((await post('reset-password', { email: email('none'), code, password: 'new password' }).expect(400)).body.code).toBe('INVALID_CODE');

      let mails = 1;
      const statuses: number[] = [];
      for (let round = 0; round < 3; round++) {
        await post('forgot-password', { email: user.email }).expect(202);
        const fresh = await outbox.code(user.email, ++mails);
        for (let i = 0; i < 4 && statuses.length < 11; i++) {
          statuses.push((await post('reset-password', { email: user.email, code: wrongFor(fresh), password: 'new password' })).status);
        }
      }
      expect(statuses).toEqual([...Array(10).fill(400), 429]);
      const right = await post('reset-password', { email: user.email, code: await outbox.code(user.email, mails), password: 'new password' });
      expect(right.status).toBe(429);
      expect(right.body.code).toBe('TOO_MANY_ATTEMPTS');
    });
  });
});
