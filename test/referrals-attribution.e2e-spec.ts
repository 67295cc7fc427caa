import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAppConfig } from '../src/config/app-config';
import { APP_CONFIG } from '../src/config/config.module';
import { ReferralsService } from '../src/referrals/referrals.service';
import { createTestApp, TestApp } from './utils/test-app';
import { TokenService } from '../src/auth/core/token.service';
import { recordingTx } from './utils/recording-tx';
import { USER_REFERRAL_STATS } from './utils/referral-stats';

const VELOCITY = 3;

describe('ReferralsService against PostgreSQL', () => {
  let t: TestApp;
  let db: DataSource;
  let referrals: ReferralsService;
  let seq = 0;

  beforeAll(async () => {
    t = await createTestApp({
      customize: (b) => b.overrideProvider(APP_CONFIG).useValue({ ...loadAppConfig(), referralVelocityPerHour: VELOCITY }),
    });
    db = t.app.get(DataSource);
    referrals = t.app.get(ReferralsService);
  });
  afterAll(() => t?.close());

  // Not createTestUser: a referrer here needs a sign-up IP and device.
  async function referrer(fields: { email?: string; ip?: string; device?: string } = {}) {
    const code = `R${String(++seq).padStart(7, '0')}`;
    const email = fields.email ?? `referrer-${randomUUID().slice(0, 8)}@example.com`;
    const [row] = await db.query(
      `INSERT INTO users (email, name, referral_code, signup_ip, signup_device_id)
       VALUES ($1::text, 'Referrer', $2, $3, $4) RETURNING id`,
      [email, code, fields.ip ?? null, fields.device ?? null],
    );
    return { id: row.id as string, email, code, token: t.app.get(TokenService).sign({ id: row.id, role: 'user' }) };
  }

  /** What the verify flow does: insert the user, then attribute, in one transaction. */
  function signUp(code: string | undefined, fields: { email?: string; name?: string; ip?: string; device?: string } = {}) {
    const email = fields.email ?? `referee-${randomUUID().slice(0, 8)}@example.com`;
    const name = fields.name ?? 'Referee';
    return db.transaction(async (manager) => {
      const [row] = await manager.query(
        `INSERT INTO users (email, name, signup_ip, signup_device_id) VALUES ($1::text, $2, $3, $4) RETURNING id`,
        [email, name, fields.ip ?? null, fields.device ?? null],
      );
      const tx = recordingTx(manager);
      const result = await referrals.attributeSignup({
        tx,
        refereeId: row.id,
        refereeEmail: email,
        refereeName: name,
        code,
        ip: fields.ip ?? null,
        deviceId: fields.device ?? null,
      });
      return { id: row.id as string, email, ...result, events: tx.events };
    });
  }

  async function userRow(id: string) {
    const [row] = await db.query(`SELECT referred_by_id, total_referrals, active_referrals, last_referral_at FROM ${USER_REFERRAL_STATS} WHERE id = $1`, [id]);
    return row;
  }

  async function referralRow(refereeId: string) {
    const [row] = await db.query(`SELECT referrer_id, code, status, reasons FROM referrals WHERE referee_id = $1`, [refereeId]);
    return row;
  }

  describe('resolveCode', () => {
    it('treats empty and missing codes as no code', async () => {
      expect(await referrals.resolveCode(undefined)).toBeUndefined();
      expect(await referrals.resolveCode(null)).toBeUndefined();
      expect(await referrals.resolveCode('   ')).toBeUndefined();
    });

    it('trims and upper-cases a known code', async () => {
      const r = await referrer();
      expect(await referrals.resolveCode(`  ${r.code.toLowerCase()} `)).toBe(r.code);
    });

    it('names no code for unknown, malformed and deleted referrers\' codes', async () => {
      const gone = await referrer();
      await db.query(`UPDATE users SET deleted_at = now() WHERE id = $1`, [gone.id]);
      for (const raw of ['ZZZZZZZZ', 'abc', 'x'.repeat(300), gone.code]) {
        expect(await referrals.resolveCode(raw), raw.slice(0, 20)).toBeUndefined();
      }
    });
  });

  describe('attributeSignup', () => {
    it('attributes a plain sign-up as pending, counts it and returns the masked referral-signup event', async () => {
      const r = await referrer({ ip: '10.0.0.1', device: 'dev-r' });
      const s = await signUp(r.code.toLowerCase(), { email: 'jane@example.com', name: 'Jane', ip: '10.0.0.2', device: 'dev-s' });
      expect(s.referral).toEqual({ status: 'pending', reasons: [] });
      expect(s.events).toEqual([
        { userId: r.id, event: 'referral-signup', payload: { refereeName: 'Jane', refereeEmail: 'j***@example.com', totalReferrals: 1 } },
      ]);
      expect(await referralRow(s.id)).toEqual({ referrer_id: r.id, code: r.code, status: 'pending', reasons: [] });
      expect((await userRow(s.id)).referred_by_id).toBe(r.id);
      const after = await userRow(r.id);
      // active_referrals counts referees with a recent purchase, so a sign-up alone leaves it at 0.
      expect(after).toMatchObject({ total_referrals: 1, active_referrals: 0 });
      expect(after.last_referral_at).toBeInstanceOf(Date);
    });

    it('returns no referral for no code, and for a code rotated away since sign-up', async () => {
      expect(await signUp(undefined)).toMatchObject({ referral: null, events: [] });
      const r = await referrer();
      await db.query(`UPDATE users SET referral_code = 'ROTATED1' WHERE id = $1`, [r.id]);
      const s = await signUp(r.code);
      expect(s).toMatchObject({ referral: null, events: [] });
      expect(await referralRow(s.id)).toBeUndefined();
      expect((await userRow(r.id)).total_referrals).toBe(0);
    });

    it.each([
      ['case (with a tag, as lower(email) is unique)', 'Jane.Roe@Example.com', 'jane.roe+1@EXAMPLE.COM'],
      ['+tag', 'jroe@example.com', 'jroe+promo@example.com'],
      ['Gmail dots', 'jane.roe@gmail.com', 'JaneRoe+x@googlemail.com'],
    ])('rejects a self-referral (%s) without attributing it', async (_label, referrerEmail, refereeEmail) => {
      const r = await referrer({ email: referrerEmail });
      const s = await signUp(r.code, { email: refereeEmail });
      expect(s.referral).toEqual({ status: 'rejected', reasons: ['SELF_REFERRAL'] });
      expect(s.events).toEqual([]);
      expect(await referralRow(s.id)).toMatchObject({ status: 'rejected', reasons: ['SELF_REFERRAL'], referrer_id: r.id });
      expect((await userRow(s.id)).referred_by_id).toBeNull();
      expect((await userRow(r.id)).total_referrals).toBe(0);
      await db.query(`UPDATE users SET deleted_at = now() WHERE id IN ($1, $2)`, [r.id, s.id]);
    });

    it('rejects a sign-up whose referrer was deleted after the code was checked', async () => {
      const r = await referrer();
      await db.query(`UPDATE users SET deleted_at = now() WHERE id = $1`, [r.id]);
      const s = await signUp(r.code);
      expect(s.referral).toEqual({ status: 'rejected', reasons: ['REFERRER_DELETED'] });
      expect((await userRow(s.id)).referred_by_id).toBeNull();
      expect((await userRow(r.id)).total_referrals).toBe(0);
    });

    it('flags (but attributes) a sign-up from the referrer\'s IP, IPv4-mapped or not', async () => {
      const r = await referrer({ ip: '203.0.113.7' });
      const s = await signUp(r.code, { ip: '::ffff:203.0.113.7' });
      expect(s.referral).toEqual({ status: 'flagged', reasons: ['SAME_IP'] });
      expect(s.events).toHaveLength(1);
      expect((await userRow(s.id)).referred_by_id).toBe(r.id);
      expect((await userRow(r.id)).total_referrals).toBe(1);
      expect(await referralRow(s.id)).toMatchObject({ status: 'flagged', reasons: ['SAME_IP'] });
    });

    it('flags a sign-up from the referrer\'s device, and keeps every reason', async () => {
      const r = await referrer({ ip: '198.51.100.1', device: 'device-123' });
      const s = await signUp(r.code, { ip: '198.51.100.2', device: 'device-123' });
      expect(s.referral).toEqual({ status: 'flagged', reasons: ['SAME_DEVICE'] });
      const both = await signUp(r.code, { ip: '198.51.100.1', device: 'device-123' });
      expect(both.referral).toEqual({ status: 'flagged', reasons: ['SAME_IP', 'SAME_DEVICE'] });
    });

    it(`flags sign-ups beyond ${VELOCITY} an hour (VELOCITY)`, async () => {
      const r = await referrer();
      const results = [];
      for (let i = 0; i < VELOCITY + 1; i++) results.push(await signUp(r.code));
      expect(results.map((s) => s.referral?.status)).toEqual([...Array(VELOCITY).fill('pending'), 'flagged']);
      expect(results[VELOCITY].referral?.reasons).toEqual(['VELOCITY']);
      expect((await userRow(r.id)).total_referrals).toBe(VELOCITY + 1);
    });

    it('judges concurrent sign-ups for one referrer one at a time (row lock)', async () => {
      const r = await referrer();
      const results = await Promise.all(Array.from({ length: VELOCITY + 3 }, () => signUp(r.code)));
      const statuses = results.map((s) => s.referral?.status);
      expect(statuses.filter((s) => s === 'pending')).toHaveLength(VELOCITY);
      expect(statuses.filter((s) => s === 'flagged')).toHaveLength(3);
      expect((await userRow(r.id)).total_referrals).toBe(VELOCITY + 3);
      const totals = results.map((s) => (s.events[0]?.payload as { totalReferrals: number }).totalReferrals).sort((a, b) => a - b);
      expect(totals).toEqual(Array.from({ length: VELOCITY + 3 }, (_, i) => i + 1));
    });

    it('leaves nothing behind when the caller\'s transaction rolls back', async () => {
      const r = await referrer();
      const email = `rollback-${randomUUID().slice(0, 8)}@example.com`;
      await db
        .transaction(async (manager) => {
          const [row] = await manager.query(`INSERT INTO users (email, name) VALUES ($1, 'X') RETURNING id`, [email]);
          await referrals.attributeSignup({ tx: recordingTx(manager), refereeId: row.id, refereeEmail: email, refereeName: 'X', code: r.code, ip: null, deviceId: null });
          throw new Error('verify failed later');
        })
        .catch(() => undefined);
      expect((await userRow(r.id)).total_referrals).toBe(0);
      const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM referrals WHERE referrer_id = $1`, [r.id]);
      expect(n).toBe(0);
    });
  });
});
