import { DataSource } from 'typeorm';
import { RATE_LIMIT_POLICIES } from '../src/rate-limit/rate-limit-policies';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PasswordHasher } from '../src/auth/accounts/password-hasher';
import { CliError } from '../src/cli/cli-command';
import { usersPromoteCommand } from '../src/cli/commands/users-promote.command';
import { createTestUser } from './utils/test-users';
import { createTestApp, TestApp } from './utils/test-app';

describe('login, /me and users:promote over HTTP', () => {
  let t: TestApp;
  let db: DataSource;
  let seq = 0;
  const email = (tag = 'u') => `${tag}-${++seq}@example.com`;

  beforeAll(async () => {
    process.env.RATE_LIMIT_SCALE = '1000';
    t = await createTestApp();
    db = t.app.get(DataSource);
  });
  afterAll(() => t?.close());

  async function userWithPassword(password = 'secret password', fields: { email?: string } = {}) {
    const passwordHash = await t.app.get(PasswordHasher).hash(password);
    return createTestUser(t.app, { email: fields.email ?? email('pw'), name: 'Pat', passwordHash });
  }
  const login = (body: object) => t.http.post('/api/auth/login').send(body);

  describe('POST /api/auth/login', () => {
    it('answers 200 with a token and the user, matching the email case-insensitively', async () => {
      const user = await userWithPassword('secret password');
      const res = await login({ email: ` ${user.email.toUpperCase()} `, password: 'secret password' }).expect(200);
      expect(res.body.user).toEqual({
        id: user.id,
        email: user.email,
        name: 'Pat',
        role: 'user',
        referralCode: null,
        createdAt: expect.any(String),
      });
      const me = await t.http.get('/api/auth/me').set('Authorization', `Bearer ${res.body.accessToken}`).expect(200);
      expect(me.body).toEqual(res.body.user);
    });

    it('answers 401 INVALID_CREDENTIALS with one message for a wrong password, an unknown email, a Google-only and a deleted account', async () => {
      const user = await userWithPassword('right password');
      const googleOnly = await createTestUser(t.app, { email: email('google'), googleId: `g-${seq}` });
      const deleted = await userWithPassword('right password');
      await db.query(`UPDATE users SET deleted_at = now() WHERE id = $1`, [deleted.id]);
      const attempts = [
        { email: user.email, password: 'wrong password' },
        { email: email('nobody'), password: 'right password' },
        { email: googleOnly.email, password: 'right password' },
        { email: deleted.email, password: 'right password' },
      ];
      const messages = new Set<string>();
      for (const body of attempts) {
        const res = await login(body).expect(401);
        expect(res.body).toMatchObject({ statusCode: 401, code: 'INVALID_CREDENTIALS' });
        messages.add(res.body.message);
      }
      expect(messages.size).toBe(1);
    });
  });

  describe('GET /api/auth/me', () => {
    it('answers 401 without a token, with a bad one, and for a deleted user', async () => {
      expect((await t.http.get('/api/auth/me').expect(401)).body.code).toBe('UNAUTHORIZED');
      await t.http.get('/api/auth/me').set('Authorization', 'Bearer not.a.token').expect(401);
      const user = await userWithPassword('secret password');
      const { body } = await login({ email: user.email, password: 'secret password' }).expect(200);
      await db.query(`UPDATE users SET deleted_at = now() WHERE id = $1`, [user.id]);
      const res = await t.http.get('/api/auth/me').set('Authorization', `Bearer ${body.accessToken}`).expect(401);
      expect(res.body.code).toBe('UNAUTHORIZED');
    });
  });

  describe('malformed input', () => {
    const huge = 'x'.repeat(10_000);
    const bodies: Array<[string, unknown]> = [
      ['wrong types', { email: 42, password: true, name: ['a'], code: {}, referralCode: 7 }],
      ['missing fields', {}],
      ['null fields', { email: null, password: null, name: null, code: null }],
      ['an extra field', { email: 'a@example.com', password: 'password1', name: 'A', code: '123456', admin: true }],
      ['huge strings', { email: `${huge}@example.com`, password: huge, name: huge, code: huge, referralCode: huge }],
      ['an array body', []],
      ['a nested object', { email: { $ne: null }, password: { length: 9 }, name: 'A', code: ['123456'] }],
    ];
    const paths = ['/api/auth/sign-up', '/api/auth/verify-email-code', '/api/auth/resend-code', '/api/auth/login'];

    for (const path of paths) {
      it(`answers ${path} with 400, never a 5xx`, async () => {
        for (const [label, body] of bodies) {
          const res = await t.http.post(path).set('Content-Type', 'application/json').send(JSON.stringify(body));
          expect(res.status, `${label}: ${JSON.stringify(res.body)}`).toBe(400);
          expect(res.body.code, label).toBe('VALIDATION_FAILED');
        }
        for (const raw of ['{"email":', '"x"', '42', 'null', 'not json']) {
          const res = await t.http.post(path).set('Content-Type', 'application/json').send(raw);
          expect(res.status, raw).toBe(400);
        }
        const form = await t.http.post(path).type('form').send('email[]=a&password=x');
        expect(form.status).toBe(415);
        expect(form.body.code).toBe('UNSUPPORTED_MEDIA_TYPE');
        const empty = await t.http.post(path);
        expect(empty.status).toBe(400);
      });
    }

    it('rejects a short password and an empty name on sign-up', async () => {
      const short = await t.http.post('/api/auth/sign-up').send({ email: email('short'), password: '1234567', name: 'A' }).expect(400);
      expect(JSON.stringify(short.body.message)).toContain('password');
      await t.http.post('/api/auth/sign-up').send({ email: email('noname'), password: 'password1', name: '   ' }).expect(400);
      await t.http.post('/api/auth/sign-up').send({ email: 'not-an-email', password: 'password1', name: 'A' }).expect(400);
    });
  });

  describe('OpenAPI', () => {
    it('documents every auth endpoint', async () => {
      const { body } = await t.http.get('/docs-json').expect(200);
      for (const path of ['sign-up', 'verify-email-code', 'resend-code', 'login', 'me', 'google']) {
        expect(Object.keys(body.paths)).toContain(`/api/auth/${path}`);
      }
      expect(body.paths['/api/auth/sign-up'].post.responses).toHaveProperty('202');
      expect(body.components.schemas.UserDto.properties).toHaveProperty('referralCode');
    });
  });

  describe('users:promote', () => {
    const cli = () => ({ url: '', dataSource: db, close: async () => undefined });

    it('makes a user an admin, which /me then shows', async () => {
      const user = await userWithPassword('secret password');
      const lines: string[] = [];
      expect(await usersPromoteCommand.run(cli(), [user.email.toUpperCase()], (l) => lines.push(l))).toBe(0);
      expect(lines.join('\n')).toContain('admin');
      const { body } = await login({ email: user.email, password: 'secret password' }).expect(200);
      expect(body.user.role).toBe('admin');
      const me = await t.http.get('/api/auth/me').set('Authorization', `Bearer ${body.accessToken}`).expect(200);
      expect(me.body.role).toBe('admin');
    });

    it('fails with a clear message for a missing argument or an unknown email', async () => {
      await expect(usersPromoteCommand.run(cli(), [], () => undefined)).rejects.toThrow(CliError);
      await expect(usersPromoteCommand.run(cli(), [], () => undefined)).rejects.toThrow(/usage: users:promote <email>/);
      await expect(usersPromoteCommand.run(cli(), ['nobody@example.com'], () => undefined)).rejects.toThrow(
        /no active user with email nobody@example.com/,
      );
    });
  });
});

describe('rate limits at the default scale', () => {
  it('answers the login after the policy\'s allowance from one IP with 429 and Retry-After', async () => {
    process.env.RATE_LIMIT_SCALE = '1';
    const t = await createTestApp();
    try {
      // Counters live in the database this file shares with the tests above: start from none.
      await t.app.get(DataSource).query(`DELETE FROM rate_limits`);
      const statuses: number[] = [];
      // A new email each time: this is the per-IP limit, not the per-account one.
      for (let i = 0; i < RATE_LIMIT_POLICIES.login.points; i++) {
        statuses.push((await t.http.post('/api/auth/login').send({ email: `limit-${i}@example.com`, password: 'whatever1' })).status);
      }
      expect(statuses).toEqual(Array(RATE_LIMIT_POLICIES.login.points).fill(401));
      const limited = await t.http.post('/api/auth/login').send({ email: 'limit-last@example.com', password: 'whatever1' });
      expect(limited.status).toBe(429);
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    } finally {
      await t.close();
      process.env.RATE_LIMIT_SCALE = '1000';
    }
  });
});
