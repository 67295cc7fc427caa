import { DataSource } from 'typeorm';
import { io, Socket } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { TokenService } from '../src/auth/core/token.service';
import { RealtimeService } from '../src/notifications/realtime.service';
import { ReferralsService } from '../src/referrals/referrals.service';
import { createTestApp, TestApp } from './utils/test-app';
import { recordingTx } from './utils/recording-tx';

const sockets: Socket[] = [];

function connect(url: string, auth: Record<string, unknown> | undefined): Socket {
  const socket = io(url, { path: '/socket.io', auth, transports: ['websocket'], reconnection: false, forceNew: true });
  sockets.push(socket);
  return socket;
}

function connected(socket: Socket): Promise<void> {
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
}

function refused(socket: Socket): Promise<Error> {
  return new Promise((resolve, reject) => {
    socket.once('connect', () => reject(new Error('connected')));
    socket.once('connect_error', resolve);
  });
}

/** Which socket.io adapter the instance's gateway runs on. */
const adapterName = (t: TestApp) =>
  (t.app.get(RealtimeService) as unknown as { server: { of(n: string): { adapter: object } } }).server.of('/').adapter.constructor.name;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Collects every event a socket receives. */
function record(socket: Socket): Array<[string, unknown]> {
  const seen: Array<[string, unknown]> = [];
  socket.onAny((event, payload) => event !== 'resync' && seen.push([event, payload]));
  return seen;
}

async function until(check: () => boolean, ms = 5_000) {
  const end = Date.now() + ms;
  while (!check() && Date.now() < end) await sleep(20);
  return check();
}

describe('Socket.IO gateway', () => {
  let a: TestApp;
  let b: TestApp;
  let db: DataSource;

  beforeAll(async () => {
    a = await createTestApp();
    b = await createTestApp();
    db = a.app.get(DataSource);
  });
  afterEach(() => {
    for (const s of sockets.splice(0)) s.disconnect();
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
  });

  async function user(code: string | null = null) {
    const [row] = await db.query(
      `INSERT INTO users (email, name, referral_code)
       VALUES ('g-' || gen_random_uuid() || '@example.com', 'G', $1) RETURNING id`,
      [code],
    );
    return { id: row.id as string, token: a.app.get(TokenService).sign({ id: row.id, role: 'user' }) };
  }

  describe('authentication', () => {
    it.each([
      ['no auth', undefined],
      ['no token', {}],
      ['a garbage token', { token: 'garbage' }],
      ['a non-string token', { token: 12345 }],
      ['a token signed with another secret', { token: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4Iiwicm9sZSI6InVzZXIifQ.c2lnbmF0dXJl' }],
    ])('refuses %s with connect_error', async (_label, auth) => {
      const error = await refused(connect(a.url, auth));
      expect(error.message).toBe('unauthorized');
    });

    it('accepts a valid access token', async () => {
      const u = await user();
      await connected(connect(a.url, { token: u.token }));
    });
  });

  describe('rooms', () => {
    it('delivers a user\'s events to that user only, and ignores attempts to join other rooms', async () => {
      const u1 = await user();
      const u2 = await user();
      const s1 = connect(a.url, { token: u1.token });
      const s2 = connect(a.url, { token: u2.token });
      await Promise.all([connected(s1), connected(s2)]);
      const seen1 = record(s1);
      const seen2 = record(s2);
      s2.emit('join', `user-${u1.id}`);
      s2.emit('subscribe', { room: `user-${u1.id}` });
      await sleep(100);
      const payload = { id: 'n1', type: 'info', title: 'Hi', message: 'For u1', createdAt: new Date().toISOString() };
      a.app.get(RealtimeService).emitToUser(u1.id, 'new-notification', payload);
      expect(await until(() => seen1.length === 1)).toBe(true);
      await sleep(300);
      expect(seen1).toEqual([['new-notification', payload]]);
      expect(seen2).toEqual([]);
      expect(s2.connected).toBe(true);
    });

    it('delivers to every socket of the user', async () => {
      const u = await user();
      const tabs = [connect(a.url, { token: u.token }), connect(a.url, { token: u.token })];
      await Promise.all(tabs.map(connected));
      const seen = tabs.map(record);
      a.app.get(RealtimeService).emitToUser(u.id, 'level-up', { userId: u.id, previousLevel: 1, level: 2, levelName: 'Silver' });
      expect(await until(() => seen.every((s) => s.length === 1))).toBe(true);
    });
  });

  describe('between two instances (Postgres adapter)', () => {
    it('delivers an event emitted on one instance to a client connected to the other, once', async () => {
      for (const t of [a, b]) expect(adapterName(t)).toBe('PostgresAdapter');
      const u = await user();
      const onB = connect(b.url, { token: u.token });
      await connected(onB);
      const seen = record(onB);
      // The adapter LISTENs asynchronously after start-up: ping until the channel is live.
      let ping = 0;
      const live = await until(() => {
        if (seen.length === 0) a.app.get(RealtimeService).emitToUser(u.id, 'points-updated', { available: 0, total: 0, pending: 0, debt: 0, delta: 0, transactionId: `ping-${++ping}`, seq: 0 });
        return seen.length > 0;
      }, 10_000);
      expect(live).toBe(true);
      await sleep(200);
      seen.length = 0;
      const payload = { available: 10, total: 10, pending: 0, debt: 0, delta: 10, transactionId: 'tx-1', seq: 1 };
      a.app.get(RealtimeService).emitToUser(u.id, 'points-updated', payload);
      expect(await until(() => seen.length > 0)).toBe(true);
      await sleep(300);
      expect(seen.filter(([, p]) => (p as { transactionId: string }).transactionId === 'tx-1')).toEqual([['points-updated', payload]]);
    });
  });

  describe('shutdown', () => {
    it('releases the adapter\'s PostgreSQL connections when the app closes', async () => {
      const count = async (): Promise<number> =>
        (
          await db.query(
            `SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'referral-points-socket' AND datname = current_database()`,
          )
        )[0].n;
      const before = await count();
      const c = await createTestApp();
      let during = before;
      for (let i = 0; i < 100 && during === before; i++) {
        await sleep(50);
        during = await count();
      }
      expect(during).toBeGreaterThan(before);
      await c.close();
      let after = during;
      for (let i = 0; i < 100 && after !== before; i++) {
        await sleep(50);
        after = await count();
      }
      expect(after).toBe(before);
    });
  });

  describe('referral-signup', () => {
    it('reaches the referrer once, after the attribution commits', async () => {
      const referrer = await user('S0CKET01');
      const s = connect(b.url, { token: referrer.token });
      await connected(s);
      const seen = record(s);
      await sleep(300);
      const events = await db.transaction(async (m) => {
        const [row] = await m.query(
          `INSERT INTO users (email, name) VALUES ('ann.lee@example.com', 'Ann') RETURNING id`,
        );
        const tx = recordingTx(m);
        await a.app.get(ReferralsService).attributeSignup({
          tx,
          refereeId: row.id, refereeEmail: 'ann.lee@example.com', refereeName: 'Ann', code: 'S0CKET01', ip: null, deviceId: null,
        });
        return tx.events;
      });
      expect(events).toHaveLength(1);
      expect(seen).toEqual([]);
      a.app.get(RealtimeService).publish(events);
      expect(await until(() => seen.length > 0, 10_000)).toBe(true);
      await sleep(300);
      expect(seen).toEqual([['referral-signup', { refereeName: 'Ann', refereeEmail: 'a***@example.com', totalReferrals: 1 }]]);
    });
  });
});
