import { createHmac, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TokenService } from '../src/auth/core/token.service';
import { loadAppConfig } from '../src/config/app-config';
import { APP_CONFIG } from '../src/config/config.module';
import { ClickRecorderService } from '../src/referrals/click-recorder.service';
import { REFERRAL_CODE_GENERATOR, randomReferralCodeGenerator } from '../src/referrals/referral-code.generator';
import { until } from './utils/wait';
import { createTestApp, TestApp } from './utils/test-app';

const FRONTEND = 'https://app.example.test';
const PUBLIC = 'https://go.example.test';

/** Serves queued codes first: a tiny code space on demand. */
const scripted: string[] = [];
const generator = { next: () => scripted.shift() ?? randomReferralCodeGenerator.next() };

describe('referral codes and short links over HTTP', () => {
  let t: TestApp;
  let db: DataSource;

  beforeAll(async () => {
    t = await createTestApp({
      customize: (b) =>
        b
          .overrideProvider(APP_CONFIG)
          .useValue({ ...loadAppConfig(), publicUrl: PUBLIC, frontendUrl: FRONTEND })
          .overrideProvider(REFERRAL_CODE_GENERATOR)
          .useValue(generator),
    });
    db = t.app.get(DataSource);
  });
  afterAll(() => t?.close());

  async function user(code: string | null = null) {
    const email = `u-${randomUUID().slice(0, 8)}@example.com`;
    const [row] = await db.query(
      `INSERT INTO users (email, name, referral_code) VALUES ($1::text, 'U', $2) RETURNING id`,
      [email, code],
    );
    return { id: row.id as string, token: t.app.get(TokenService).sign({ id: row.id, role: 'user' }) };
  }

  const generate = (token?: string) => {
    const req = t.http.post('/api/points/generate-referral-code');
    return token ? req.set('Authorization', `Bearer ${token}`) : req;
  };

  async function clicksFor(referrerId: string) {
    await t.app.get(ClickRecorderService).flush();
    return db.query(`SELECT code, ip_hash, device_id, created_at FROM referral_clicks WHERE referrer_id = $1 ORDER BY created_at, ctid`, [referrerId]);
  }

  describe('POST /api/points/generate-referral-code', () => {
    it('creates an 8-character Crockford base32 code and its short link', async () => {
      const u = await user();
      const res = await generate(u.token).expect(201);
      expect(res.body.code).toMatch(/^[0-9ABCDEFGHJKMNPQRSTVWXYZ]{8}$/);
      expect(res.body).toEqual({ code: res.body.code, url: `${PUBLIC}/r/${res.body.code}` });
      const [row] = await db.query(`SELECT referral_code FROM users WHERE id = $1`, [u.id]);
      expect(row.referral_code).toBe(res.body.code);
    });

    it('rotates: the old code stops resolving at once, the new one works', async () => {
      const u = await user();
      const first = (await generate(u.token).expect(201)).body.code;
      const second = (await generate(u.token).expect(201)).body.code;
      expect(second).not.toBe(first);
      expect((await t.http.get(`/r/${first}`).expect(302)).headers.location).toBe(`${FRONTEND}/auth/jwt/sign-up`);
      expect((await t.http.get(`/r/${second}`).expect(302)).headers.location).toBe(`${FRONTEND}/auth/jwt/sign-up?ref=${second}`);
    });

    it('retries on a collision with another user\'s code (tiny code space)', async () => {
      await user('AAAAAAAA');
      const u = await user();
      scripted.push('AAAAAAAA', 'AAAAAAAA', 'BBBBBBBB');
      const res = await generate(u.token).expect(201);
      expect(res.body.code).toBe('BBBBBBBB');
      expect(scripted).toEqual([]);
    });

    it('answers 503 REFERRAL_CODE_UNAVAILABLE when every attempt collides, leaving the old code', async () => {
      await user('CCCCCCCC');
      const u = await user('DDDDDDDD');
      scripted.push(...Array(10).fill('CCCCCCCC'));
      const res = await generate(u.token).expect(503);
      expect(res.body).toMatchObject({ statusCode: 503, code: 'REFERRAL_CODE_UNAVAILABLE' });
      scripted.length = 0;
      const [row] = await db.query(`SELECT referral_code FROM users WHERE id = $1`, [u.id]);
      expect(row.referral_code).toBe('DDDDDDDD');
    });

    it('requires a valid token', async () => {
      expect((await generate().expect(401)).body.code).toBe('UNAUTHORIZED');
      expect((await generate('not-a-jwt').expect(401)).body.code).toBe('UNAUTHORIZED');
    });

    it('answers 401 UNAUTHORIZED for a deleted account\'s token, as every endpoint does', async () => {
      const u = await user();
      await db.query(`UPDATE users SET deleted_at = now() WHERE id = $1`, [u.id]);
      // The session cache may hold the open account for up to 2 s.
      await until(async () => (await generate(u.token)).status, (s) => s === 401, 5_000);
      expect((await generate(u.token).expect(401)).body.code).toBe('UNAUTHORIZED');
    });

    it('rejects a body field it does not know with 400', async () => {
      const u = await user();
      const res = await generate(u.token).send({ code: 'MYCODE12' }).expect(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
    });
  });

  describe('OpenAPI', () => {
    it('documents the referral endpoints', async () => {
      const paths = Object.keys((await t.http.get('/docs-json').expect(200)).body.paths);
      expect(paths).toEqual(expect.arrayContaining(['/api/points/generate-referral-code', '/api/points/referrals', '/r/{code}']));
    });
  });

  describe('GET /r/:code', () => {
    it('redirects a valid code to sign-up with ref and sets the 7-day ref cookie', async () => {
      await user('EEEEEEEE');
      const res = await t.http.get('/r/EEEEEEEE').expect(302);
      expect(res.headers.location).toBe(`${FRONTEND}/auth/jwt/sign-up?ref=EEEEEEEE`);
      const cookies = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
      expect(cookies).toHaveLength(1);
      const cookie = cookies[0];
      expect(cookie).toMatch(/^ref=EEEEEEEE;/);
      expect(cookie).toMatch(/Max-Age=604800(;|$)/);
      expect(cookie).toMatch(/; HttpOnly/);
      expect(cookie).toMatch(/; SameSite=Lax/);
      expect(cookie).toMatch(/; Path=\//);
      expect(cookie).toMatch(/; Secure/);
    });

    it('matches after trimming and upper-casing', async () => {
      await user('FFFFFFFF');
      const res = await t.http.get('/r/%20ffffffff%20').expect(302);
      expect(res.headers.location).toBe(`${FRONTEND}/auth/jwt/sign-up?ref=FFFFFFFF`);
    });

    it.each(['ZZZZZZZZ', 'abc', 'AAAA-AAAA', '%E2%9C%93', 'x'.repeat(400), 'IIIIIIII'])(
      'redirects an unknown or malformed code (%s) without ref or cookie',
      async (code) => {
        const res = await t.http.get(`/r/${code}`).expect(302);
        expect(res.headers.location).toBe(`${FRONTEND}/auth/jwt/sign-up`);
        expect(res.headers['set-cookie']).toBeUndefined();
      },
    );

    it('records each valid click with a keyed hash of the IP (never the IP) and the device id', async () => {
      const owner = await user('GGGGGGGG');
      await t.http.get('/r/GGGGGGGG').set('X-Device-Id', 'device-abc').expect(302);
      await t.http.get('/r/gggggggg').expect(302);
      await t.http.get('/r/ZZZZZZZY').expect(302);
      const rows = await clicksFor(owner.id);
      expect(rows).toHaveLength(2);
      expect(rows.map((r: { device_id: string | null }) => r.device_id)).toEqual(['device-abc', null]);
      for (const r of rows) {
        expect(r.code).toBe('GGGGGGGG');
        expect(r.ip_hash).toMatch(/^[0-9a-f]{64}$/);
        expect(r.ip_hash).toBe(t.app.get(ClickRecorderService).hashIp('127.0.0.1'));
        expect(r.ip_hash).not.toBe(createHmac('sha256', '').update('127.0.0.1').digest('hex'));
        expect(Date.now() - new Date(r.created_at).getTime()).toBeLessThan(60_000);
      }
      const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM referral_clicks WHERE ip_hash LIKE '%127.0.0.1%'`);
      expect(n).toBe(0);
    });

    it('writes clicks in the background, in batches, without a flush call', async () => {
      const owner = await user('HHHHHHHH');
      await Promise.all(Array.from({ length: 20 }, () => t.http.get('/r/HHHHHHHH').expect(302)));
      const deadline = Date.now() + 5_000;
      let n = 0;
      while (Date.now() < deadline) {
        [{ n }] = await db.query(`SELECT count(*)::int AS n FROM referral_clicks WHERE referrer_id = $1`, [owner.id]);
        if (n === 20) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(n).toBe(20);
    });

    it('answers a path that is not valid percent-encoding with a 4xx, never a 5xx', async () => {
      for (const path of ['/r/%', '/r/%E0%A4%A', '/r/%00%00']) {
        const res = await t.http.get(path);
        expect(res.status).toBeGreaterThanOrEqual(300);
        expect(res.status).toBeLessThan(500);
      }
    });

    it('does not answer other methods', async () => {
      await user('JJJJJJJJ');
      const res = await t.http.post('/r/JJJJJJJJ');
      expect(res.status).toBe(404);
    });
  });
});

describe('GET /r/:code with CLICK_RECORDING off', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({
      customize: (b) => b.overrideProvider(APP_CONFIG).useValue({ ...loadAppConfig(), clickRecording: false }),
    });
  });
  afterAll(() => t?.close());

  it('still redirects with the cookie but records nothing', async () => {
    const db = t.app.get(DataSource);
    const [row] = await db.query(
      `INSERT INTO users (email, name, referral_code) VALUES ('off@example.com', 'Off', 'KKKKKKKK') RETURNING id`,
    );
    const res = await t.http.get('/r/KKKKKKKK').expect(302);
    expect(res.headers.location).toMatch(/\/auth\/jwt\/sign-up\?ref=KKKKKKKK$/);
    expect(res.headers['set-cookie']?.[0]).toMatch(/^ref=KKKKKKKK;/);
    await t.app.get(ClickRecorderService).flush();
    const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM referral_clicks WHERE referrer_id = $1`, [row.id]);
    expect(n).toBe(0);
  });
});

describe('click recording at shutdown', () => {
  it('writes clicks still buffered when the app closes', async () => {
    const t = await createTestApp();
    const db = t.app.get(DataSource);
    const [row] = await db.query(
      `INSERT INTO users (email, name, referral_code) VALUES ('bye@example.com', 'Bye', 'NNNNNNNN') RETURNING id`,
    );
    await Promise.all(Array.from({ length: 5 }, () => t.http.get('/r/NNNNNNNN').expect(302)));
    await t.close();
    const { Client } = await import('pg');
    const client = new Client({ connectionString: process.env.DATABASE_URL });
    await client.connect();
    try {
      const { rows } = await client.query(`SELECT count(*)::int AS n FROM referral_clicks WHERE referrer_id = $1`, [row.id]);
      expect(rows[0].n).toBe(5);
    } finally {
      await client.end();
    }
  });
});
