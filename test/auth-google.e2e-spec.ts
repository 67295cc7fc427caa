import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { RealtimeService } from '../src/notifications/realtime.service';
import { createTestUser } from './utils/test-users';
import { createTestApp, TestApp } from './utils/test-app';

const CLIENT_ID = 'test-client-id';
const CLIENT_SECRET = 'test-client-secret';
const FRONTEND = 'http://frontend.test';

interface UserInfo {
  sub: string;
  email?: string;
  email_verified?: boolean;
  name?: string;
}

/** A tiny OAuth 2.0 provider standing in for Google: /authorize, /token and /userinfo. */
class FakeGoogle {
  server!: Server;
  url = '';
  /** Who the next sign-in is. */
  profile: UserInfo = { sub: 'nobody' };
  failTokenExchange = false;
  private readonly codes = new Map<string, { redirectUri: string; profile: UserInfo }>();
  private readonly tokens = new Map<string, UserInfo>();

  async start(): Promise<void> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  stop(): Promise<void> {
    return new Promise((r) => this.server.close(() => r()));
  }

  private async handle(req: IncomingMessage, res: import('node:http').ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    const json = (status: number, body: object) => {
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (url.pathname === '/authorize') {
      const redirectUri = url.searchParams.get('redirect_uri') ?? '';
      if (url.searchParams.get('client_id') !== CLIENT_ID || url.searchParams.get('response_type') !== 'code') {
        return json(400, { error: 'invalid_request' });
      }
      const code = randomUUID();
      this.codes.set(code, { redirectUri, profile: this.profile });
      const back = new URL(redirectUri);
      back.searchParams.set('code', code);
      back.searchParams.set('state', url.searchParams.get('state') ?? '');
      res.writeHead(302, { Location: back.toString() });
      return void res.end();
    }
    if (url.pathname === '/token' && req.method === 'POST') {
      let raw = '';
      for await (const chunk of req) raw += chunk;
      const form = new URLSearchParams(raw);
      const grant = this.codes.get(form.get('code') ?? '');
      this.codes.delete(form.get('code') ?? '');
      if (
        this.failTokenExchange ||
        !grant ||
        form.get('client_id') !== CLIENT_ID ||
        form.get('client_secret') !== CLIENT_SECRET ||
        form.get('redirect_uri') !== grant.redirectUri ||
        form.get('grant_type') !== 'authorization_code'
      ) {
        return json(400, { error: 'invalid_grant' });
      }
      const token = randomUUID();
      this.tokens.set(token, grant.profile);
      return json(200, { access_token: token, token_type: 'Bearer', expires_in: 3600 });
    }
    if (url.pathname === '/userinfo') {
      // node-oauth sends the token as ?access_token= unless told to use the header.
      const token = url.searchParams.get('access_token') ?? (req.headers.authorization ?? '').replace(/^Bearer /, '');
      const profile = this.tokens.get(token);
      return profile ? json(200, profile) : json(401, { error: 'invalid_token', error_description: 'bad token' });
    }
    json(404, { error: 'not_found' });
  }
}

describe('Google sign-in over real HTTP against a local OAuth 2.0 server', () => {
  const google = new FakeGoogle();
  let t: TestApp;
  let db: DataSource;
  let seq = 0;

  beforeAll(async () => {
    await google.start();
    Object.assign(process.env, {
      RATE_LIMIT_SCALE: '1000',
      FRONTEND_URL: FRONTEND,
      GOOGLE_CLIENT_ID: CLIENT_ID,
      GOOGLE_CLIENT_SECRET: CLIENT_SECRET,
      GOOGLE_AUTH_URL: `${google.url}/authorize`,
      GOOGLE_TOKEN_URL: `${google.url}/token`,
      GOOGLE_USERINFO_URL: `${google.url}/userinfo`,
    });
    t = await createTestApp();
    db = t.app.get(DataSource);
  });
  afterAll(async () => {
    await t?.close();
    await google.stop();
  });

  const cookiesOf = (res: { headers: Record<string, unknown> }) =>
    ((res.headers['set-cookie'] as string[] | undefined) ?? []).map((c) => c.split(';')[0]);

  /** The browser's part: start, follow the provider's redirect back, and finish at the callback. */
  async function signInWithGoogle(profile: UserInfo, options: { ref?: string; tamperState?: boolean } = {}) {
    google.profile = profile;
    const start = t.http.get('/api/auth/google');
    if (options.ref) start.set('Cookie', `ref=${options.ref}`);
    const started = await start.expect(302);
    const authorize = new URL(started.headers.location);
    expect(authorize.origin + authorize.pathname).toBe(`${google.url}/authorize`);
    expect(authorize.searchParams.get('scope')).toContain('email');
    const stateCookies = cookiesOf(started);
    expect(stateCookies.some((c) => c.startsWith('google_oauth_state='))).toBe(true);

    const consent = await fetch(authorize, { redirect: 'manual' });
    expect(consent.status).toBe(302);
    const back = new URL(consent.headers.get('location')!);
    expect(back.pathname).toBe('/api/auth/google/callback');
    if (options.tamperState) back.searchParams.set('state', 'forged');
    const cookies = [...stateCookies, ...(options.ref ? [`ref=${options.ref}`] : [])].join('; ');
    return t.http.get(back.pathname + back.search).set('Cookie', cookies);
  }

  function tokenFrom(location: string): string {
    const prefix = `${FRONTEND}/dashboard/account/points#accessToken=`;
    expect(location.startsWith(prefix)).toBe(true);
    return decodeURIComponent(location.slice(prefix.length));
  }

  it('creates a new user, attributes the ref cookie once, and redirects to the dashboard with a working token', async () => {
    const code = `G${String(++seq).padStart(7, '0')}`;
    const referrer = await createTestUser(t.app, { referralCode: code });
    const emit = vi.spyOn(t.app.get(RealtimeService), 'emitToUser');
    const res = await signInWithGoogle(
      { sub: 'google-1', email: 'New.Person@Example.com', email_verified: true, name: 'New Person' },
      { ref: code.toLowerCase() },
    );
    expect(res.status).toBe(302);
    const token = tokenFrom(res.headers.location);
    const me = await t.http.get('/api/auth/me').set('Authorization', `Bearer ${token}`).expect(200);
    expect(me.body).toMatchObject({ email: 'new.person@example.com', name: 'New Person', role: 'user', referralCode: null });
    const [row] = await db.query(`SELECT google_id, password_hash, referred_by_id FROM users WHERE id = $1`, [me.body.id]);
    expect(row).toEqual({ google_id: 'google-1', password_hash: null, referred_by_id: referrer.id });
    expect(emit.mock.calls.filter(([id, event]) => id === referrer.id && event === 'referral-signup')).toHaveLength(1);

    const again = await signInWithGoogle({ sub: 'google-1', email: 'new.person@example.com', email_verified: true, name: 'X' }, { ref: code });
    expect(again.status).toBe(302);
    const meAgain = await t.http.get('/api/auth/me').set('Authorization', `Bearer ${tokenFrom(again.headers.location)}`).expect(200);
    expect(meAgain.body.id).toBe(me.body.id);
    const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM users WHERE google_id = 'google-1'`);
    expect(n).toBe(1);
    expect(emit.mock.calls.filter(([id, event]) => id === referrer.id && event === 'referral-signup')).toHaveLength(1);
    emit.mockRestore();
  });

  it('links an existing password account by verified email', async () => {
    const user = await createTestUser(t.app, { email: 'linked@example.com', passwordHash: 'x' });
    const res = await signInWithGoogle({ sub: 'google-2', email: 'Linked@example.com', email_verified: true, name: 'L' });
    expect(res.status).toBe(302);
    const me = await t.http.get('/api/auth/me').set('Authorization', `Bearer ${tokenFrom(res.headers.location)}`).expect(200);
    expect(me.body.id).toBe(user.id);
    const [row] = await db.query(`SELECT google_id FROM users WHERE id = $1`, [user.id]);
    expect(row.google_id).toBe('google-2');
  });

  it('refuses to link or create from an unverified email', async () => {
    await createTestUser(t.app, { email: 'unverified@example.com', passwordHash: 'x' });
    const link = await signInWithGoogle({ sub: 'google-3', email: 'unverified@example.com', email_verified: false });
    expect(link.status).toBe(401);
    expect(link.body.code).toBe('UNAUTHORIZED');
    const create = await signInWithGoogle({ sub: 'google-4', email: 'fresh-unverified@example.com', email_verified: false });
    expect(create.status).toBe(401);
    const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM users WHERE google_id IN ('google-3', 'google-4')`);
    expect(n).toBe(0);
  });

  it('answers a forged state, a denied consent and a failed token exchange with 401, never a 5xx', async () => {
    const forged = await signInWithGoogle({ sub: 'google-5', email: 'forged@example.com', email_verified: true }, { tamperState: true });
    expect(forged.status).toBe(401);
    const noCookie = await t.http.get('/api/auth/google/callback?code=abc&state=def');
    expect(noCookie.status).toBe(401);
    const denied = await t.http.get('/api/auth/google/callback?error=access_denied&error_description=no');
    expect(denied.status).toBe(401);
    const other = await t.http.get('/api/auth/google/callback?error=server_error');
    expect(other.status).toBe(401);
    google.failTokenExchange = true;
    try {
      const failed = await signInWithGoogle({ sub: 'google-6', email: 'failed@example.com', email_verified: true });
      expect(failed.status).toBe(401);
    } finally {
      google.failTokenExchange = false;
    }
    const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM users WHERE google_id IN ('google-5', 'google-6')`);
    expect(n).toBe(0);
  });
});

describe('Google sign-in when it is not configured', () => {
  it('answers both routes with 404 NOT_FOUND and a clear message', async () => {
    for (const key of ['GOOGLE_CLIENT_ID', 'GOOGLE_CLIENT_SECRET', 'GOOGLE_AUTH_URL', 'GOOGLE_TOKEN_URL', 'GOOGLE_USERINFO_URL']) {
      delete process.env[key];
    }
    const t = await createTestApp();
    try {
      for (const path of ['/api/auth/google', '/api/auth/google/callback?code=x&state=y']) {
        const res = await t.http.get(path).expect(404);
        expect(res.body).toMatchObject({ statusCode: 404, code: 'NOT_FOUND', message: expect.stringContaining('Google sign-in is not enabled') });
      }
    } finally {
      await t.close();
    }
  });
});
