import { io, Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, TestApp } from './utils/test-app';
import { createTestUser, TestUser } from './utils/test-users';
import { until } from './utils/wait';

describe('points events over Socket.IO', () => {
  let t: TestApp;
  let admin: TestUser;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    t = await createTestApp();
    admin = await createTestUser(t.app, { role: 'admin' });
  });
  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    await t?.close();
  });

  async function listen(user: TestUser): Promise<Array<{ event: string; payload: any }>> {
    const received: Array<{ event: string; payload: any }> = [];
    const socket = io(t.url, { auth: { token: user.token }, transports: ['websocket'], reconnection: false });
    sockets.push(socket);
    // resync (sent on every connect) is tested in gateway-resync.e2e-spec.ts.
    socket.onAny((event, payload) => event !== 'resync' && received.push({ event, payload }));
    await new Promise<void>((resolve, reject) => {
      socket.on('connect', () => resolve());
      socket.on('connect_error', reject);
    });
    return received;
  }

  /** Waits for `count` events, then a little longer so that a duplicate would show. */
  const settle = async (received: unknown[], count: number) => {
    await until(() => received.length, (n) => n >= count, 5_000);
    await new Promise((r) => setTimeout(r, 200));
  };

  it('sends points-updated, then one level-up and a level notification per crossing, only to the user', async () => {
    const u = await createTestUser(t.app);
    const other = await createTestUser(t.app);
    const mine = await listen(u);
    const theirs = await listen(other);
    const responses = await Promise.all(
      [300, 300, 300].map((amount) =>
        t.http.post('/api/points/admin/add').set('Authorization', `Bearer ${admin.token}`).send({ userId: u.id, amount, reason: 'r' }),
      ),
    );
    expect(responses.map((r) => r.status)).toEqual([201, 201, 201]);
    await settle(mine, 5);
    const updates = mine.filter((e) => e.event === 'points-updated');
    expect(updates).toHaveLength(3);
    expect(updates.map((e) => e.payload.total).sort((a, b) => a - b)).toEqual([300, 600, 900]);
    expect(updates.every((e) => e.payload.delta === 300 && typeof e.payload.transactionId === 'string')).toBe(true);
    const levelUps = mine.filter((e) => e.event === 'level-up');
    expect(levelUps.map((e) => e.payload)).toEqual([{ userId: u.id, previousLevel: 1, level: 2, levelName: 'Silver' }]);
    const notes = mine.filter((e) => e.event === 'new-notification');
    expect(notes).toHaveLength(1);
    expect(notes[0].payload).toMatchObject({ type: 'level-reached', title: 'Silver reached' });
    expect(theirs).toEqual([]);
  });

  it('announces a redemption with points-updated and a notification', async () => {
    const u = await createTestUser(t.app);
    await t.http.post('/api/points/admin/add').set('Authorization', `Bearer ${admin.token}`).send({ userId: u.id, amount: 100, reason: 'r' }).expect(201);
    const mine = await listen(u);
    await t.http.post('/api/points/redeem').set('Authorization', `Bearer ${u.token}`).send({ amount: 40, reward: 'service-credit' }).expect(201);
    await t.http.post('/api/points/redeem').set('Authorization', `Bearer ${u.token}`).send({ amount: 400, reward: 'service-credit' }).expect(409);
    await settle(mine, 2);
    expect(mine.map((e) => e.event)).toEqual(['points-updated', 'new-notification']);
    expect(mine[0].payload).toMatchObject({ available: 60, total: 100, pending: 0, delta: -40 });
    expect(mine[1].payload).toMatchObject({ type: 'redemption-done', title: 'Redemption done' });
  });
});
