import { randomInt, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PasswordHasher } from '../src/auth/accounts/password-hasher';
import { usersDemoteCommand } from '../src/cli/commands/users-demote.command';
import { CliError } from '../src/cli/cli-command';
import { AppConfig } from '../src/config/app-config';
import { APP_CONFIG } from '../src/config/config.module';
import { PointsService } from '../src/points/points.service';
import { rawJwt } from './utils/raw-jwt';
import { connectSocket } from './utils/sockets';
import { createTestApp, TestApp } from './utils/test-app';
import { createTestUser } from './utils/test-users';
import { until } from './utils/wait';

/** Issue 10, items 2 and 3: tokens honoured only while their account is, closure, demotion, and the per-account login throttle. */
describe('tokens, account closure, demotion and the login throttle', () => {
  let a: TestApp;
  let b: TestApp;
  let db: DataSource;
  let seq = 0;
  const email = (tag: string) => `${tag}-${++seq}-${Date.now()}@example.com`;

  beforeAll(async () => {
    process.env.RATE_LIMIT_SCALE = '1';
    process.env.TRUST_PROXY = 'loopback';
    a = await createTestApp();
    b = await createTestApp();
    db = a.app.get(DataSource);
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    delete process.env.TRUST_PROXY;
    process.env.RATE_LIMIT_SCALE = '1000';
  });

  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
  const secret = () => a.app.get<AppConfig>(APP_CONFIG).jwtSecret;
  const now = () => Math.floor(Date.now() / 1000);
  const randomIp = () => `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;
  async function withPassword(password: string, fields: { role?: 'user' | 'admin'; referralCode?: string } = {}) {
    const passwordHash = await a.app.get(PasswordHasher).hash(password);
    return createTestUser(a.app, { email: email('s'), passwordHash, ...fields });
  }
  function watchDisconnect(socket: { on(e: 'disconnect', f: () => void): unknown }) {
    const state = { dropped: false };
    socket.on('disconnect', () => (state.dropped = true));
    return state;
  }

  describe('tokens the service did not issue as they are', () => {
    it('refuses a well-signed token without exp with 401 over HTTP and on a socket', async () => {
      const user = await createTestUser(a.app);
      const forever = rawJwt(secret(), { sub: user.id, role: 'user', ver: 0, iat: now() });
      expect((await a.http.get('/api/auth/me').set(bearer(forever)).expect(401)).body.code).toBe('UNAUTHORIZED');
      await expect(connectSocket(a.url, forever)).rejects.toThrow();
      const fine = rawJwt(secret(), { sub: user.id, role: 'user', ver: 0, iat: now(), exp: now() + 60 });
      await a.http.get('/api/auth/me').set(bearer(fine)).expect(200);
    });

    it('answers a sub that is not a uuid with 401, never 500, on every kind of endpoint', async () => {
      for (const sub of ['not-a-uuid', "1' OR '1'='1", '', 42, null]) {
        const token = rawJwt(secret(), { sub, role: 'admin', ver: 0, iat: now(), exp: now() + 60 });
        for (const path of ['/api/auth/me', '/api/points/my-points', '/api/admin/analytics']) {
          const res = await a.http.get(path).set(bearer(token));
          expect(res.status, `${String(sub)} ${path}`).toBe(401);
        }
        await expect(connectSocket(a.url, token)).rejects.toThrow();
      }
    });

    it('refuses a token signed with another token version', async () => {
      const user = await createTestUser(a.app);
      const stale = rawJwt(secret(), { sub: user.id, role: 'user', ver: 7, iat: now(), exp: now() + 60 });
      await a.http.get('/api/auth/me').set(bearer(stale)).expect(401);
    });
  });

  describe('DELETE /api/auth/me', () => {
    it('closes the account: its token is 401 everywhere, its socket is dropped on every instance, its code is dead, the ledger stays', async () => {
      const code = `D${String(++seq).padStart(7, '0')}`;
      const user = await withPassword('close password', { referralCode: code, role: 'admin' });
      await a.app.get(PointsService).addPoints({ userId: user.id, amount: 250, source: 'bonus', metadata: {}, idempotencyKey: `test:${randomUUID()}` });
      const ledgerBefore = (await db.query(`SELECT count(*)::int AS n, sum(amount)::int AS s FROM point_transactions WHERE user_id = $1`, [user.id]))[0];
      expect(ledgerBefore).toEqual({ n: 1, s: 250 });
      const onA = await connectSocket(a.url, user.token);
      const onB = await connectSocket(b.url, user.token);
      const [dropA, dropB] = [watchDisconnect(onA), watchDisconnect(onB)];
      await b.http.get('/api/admin/analytics').set(bearer(user.token)).expect(200);

      await a.http.delete('/api/auth/me').set(bearer(user.token)).expect(204);
      const closedAt = Date.now();

      await until(() => dropA.dropped && dropB.dropped, (d) => d, 5_000);
      const probes: Array<[string, string]> = [
        ['get', '/api/auth/me'],
        ['get', '/api/points/my-points'],
        ['get', '/api/points/transactions'],
        ['get', '/api/points/referrals'],
        ['post', '/api/points/generate-referral-code'],
        ['post', '/api/points/redeem'],
        ['get', '/api/admin/analytics'],
        ['delete', '/api/auth/me'],
      ];
      // At once on the instance that closed it; within the session cache's 2 s on the other.
      await a.http.get('/api/points/my-points').set(bearer(user.token)).expect(401);
      await until(async () => (await b.http.get('/api/points/my-points').set(bearer(user.token))).status, (s) => s === 401, 5_000);
      expect(Date.now() - closedAt).toBeLessThan(5_000);
      for (const app of [a, b]) {
        for (const [method, path] of probes) {
          const res = await (app.http[method as 'get'](path) as ReturnType<typeof app.http.get>).set(bearer(user.token)).send({});
          expect(res.status, `${method} ${path}`).toBe(401);
          expect(res.body.code).toBe('UNAUTHORIZED');
        }
      }
      await expect(connectSocket(a.url, user.token)).rejects.toThrow();

      const [row] = await db.query(`SELECT email, name, password_hash, referral_code, deleted_at FROM users WHERE id = $1`, [user.id]);
      expect(row).toMatchObject({ name: 'Deleted user', password_hash: null, referral_code: null });
      expect(row.email).not.toContain(user.email.split('@')[0]);
      expect(row.deleted_at).not.toBeNull();
      const ledgerAfter = (await db.query(`SELECT count(*)::int AS n, sum(amount)::int AS s FROM point_transactions WHERE user_id = $1`, [user.id]))[0];
      expect(ledgerAfter).toEqual(ledgerBefore);

      const signUp = await a.http.post('/api/auth/sign-up').send({ email: email('late'), password: 'password1', name: 'Late', referralCode: code });
      expect(signUp.status).toBe(400);
      expect(signUp.body.code).toBe('INVALID_REFERRAL_CODE');
      await a.http.get(`/r/${code}`).expect(302).expect((res) => expect(res.headers.location).not.toContain(code));
      await a.http.post('/api/auth/login').set('X-Forwarded-For', randomIp()).send({ email: user.email, password: 'close password' }).expect(401);
      // The address is free again for a new account.
      await a.http.post('/api/auth/sign-up').send({ email: user.email, password: 'password1', name: 'Again' }).expect(202);
    });
  });

  describe('users:demote', () => {
    it('takes the admin role: the old token is 403 on admin endpoints within 5 s on every instance, and its sockets are dropped', async () => {
      const admin = await withPassword('admin password', { role: 'admin' });
      await a.http.get('/api/admin/analytics').set(bearer(admin.token)).expect(200);
      await b.http.get('/api/admin/analytics').set(bearer(admin.token)).expect(200);
      const socket = await connectSocket(b.url, admin.token);
      const drop = watchDisconnect(socket);

      const lines: string[] = [];
      // The CLI runs beside the service: nothing in the app hears of it but the database.
      expect(await usersDemoteCommand.run({ url: '', dataSource: db, close: async () => undefined }, [admin.email.toUpperCase()], (l) => lines.push(l))).toBe(0);
      expect(lines.join('\n')).toContain('is now a user');
      const demotedAt = Date.now();
      for (const app of [a, b]) {
        const res = await until(async () => app.http.get('/api/admin/analytics').set(bearer(admin.token)), (r) => r.status === 403, 5_000);
        expect(res.body.code).toBe('FORBIDDEN');
      }
      await until(() => drop.dropped, (d) => d, 5_000);
      expect(Date.now() - demotedAt).toBeLessThan(5_000);
      expect((await a.http.get('/api/auth/me').set(bearer(admin.token)).expect(200)).body.role).toBe('user');
      const [{ role }] = await db.query(`SELECT role FROM users WHERE id = $1`, [admin.id]);
      expect(role).toBe('user');
    });

    it('fails with a clear message for a missing argument or an unknown email', async () => {
      const cli = { url: '', dataSource: db, close: async () => undefined };
      await expect(usersDemoteCommand.run(cli, [], () => undefined)).rejects.toThrow(CliError);
      await expect(usersDemoteCommand.run(cli, [], () => undefined)).rejects.toThrow(/usage: users:demote <email>/);
      await expect(usersDemoteCommand.run(cli, ['nobody@example.com'], () => undefined)).rejects.toThrow(/no active user with email nobody@example.com/);
    });
  });

  describe('sockets and token expiry', () => {
    it('drops a socket when its token expires', async () => {
      const user = await createTestUser(a.app);
      const shortLived = rawJwt(secret(), { sub: user.id, role: 'user', ver: 0, iat: now(), exp: now() + 2 });
      const socket = await connectSocket(a.url, shortLived);
      const drop = watchDisconnect(socket);
      await until(() => drop.dropped, (d) => d, 5_000);
    });
  });

  describe('the per-account login throttle', () => {
    const login = (body: object, ip: string, device?: string) => {
      const req = a.http.post('/api/auth/login').set('X-Forwarded-For', ip);
      if (device) req.set('X-Device-Id', device);
      return req.send(body);
    };

    it('caps wrong passwords per account across IPs, yet lets the owner in from a client they used before', async () => {
      const owner = await withPassword('owner password');
      const [home, device] = [randomIp(), `device-${seq}`];
      await login({ email: owner.email, password: 'owner password' }, home, device).expect(200);

      const statuses: number[] = [];
      for (let i = 0; i < 11; i++) statuses.push((await login({ email: owner.email, password: `guess ${i}` }, randomIp())).status);
      expect(statuses).toEqual([...Array(10).fill(401), 429]);
      const stranger = await login({ email: owner.email, password: 'owner password' }, randomIp());
      expect(stranger.status).toBe(429);
      expect(stranger.body.code).toBe('RATE_LIMITED');
      expect(Number(stranger.headers['retry-after'])).toBeGreaterThan(0);
      expect(Number(stranger.headers['retry-after'])).toBeLessThanOrEqual(900);

      await login({ email: owner.email, password: 'owner password' }, home).expect(200);
      await login({ email: owner.email, password: 'owner password' }, randomIp(), device).expect(200);
    });

    it('treats an email without an account the same way, so the 429 reveals nothing', async () => {
      const ghost = email('ghost');
      const statuses: number[] = [];
      for (let i = 0; i < 11; i++) statuses.push((await login({ email: ghost, password: `guess ${i}` }, randomIp())).status);
      expect(statuses).toEqual([...Array(10).fill(401), 429]);
    });

    it('does not count successful log-ins', async () => {
      const user = await withPassword('right password');
      for (let i = 0; i < 12; i++) await login({ email: user.email, password: 'right password' }, randomIp()).expect(200);
    });
  });
});
