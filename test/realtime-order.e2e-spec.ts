import { randomUUID } from 'node:crypto';
import { io, Socket } from 'socket.io-client';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DomainEvent, PointsUpdatedEvent } from '../src/notifications/realtime-events';
import { RealtimeService } from '../src/notifications/realtime.service';
import { PointsService } from '../src/points/points.service';
import { connectSocket, waitUntilCrossInstanceLive } from './utils/sockets';
import { createTestApp, TestApp } from './utils/test-app';
import { auth, createTestUser, TestUser } from './utils/test-users';
import { until } from './utils/wait';

/*
 * What a socket client can rely on (API.md, Socket.IO): `resync` on every (re)connect, and
 * points-updated with `seq` and `debt`, each socket seeing one user's changes in commit order
 * even when two instances commit them.
 */
describe('Socket.IO: resync, seq and debt', () => {
  let a: TestApp;
  let b: TestApp;
  let admin: TestUser;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    a = await createTestApp();
    b = await createTestApp();
    admin = await createTestUser(a.app, { role: 'admin' });
  });
  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    await a?.close();
    await b?.close();
  });


  /** Real changes only: the cross-instance readiness pings carry transaction ids `ping-…`. */
  function updates(socket: Socket): PointsUpdatedEvent[] {
    const seen: PointsUpdatedEvent[] = [];
    socket.on('points-updated', (p: PointsUpdatedEvent) => {
      if (!p.transactionId.startsWith('ping-')) seen.push(p);
    });
    return seen;
  }

  describe('resync', () => {
    it('is the first event after connecting, and comes again after a reconnect', async () => {
      const u = await createTestUser(a.app);
      const events: Array<[string, unknown]> = [];
      const socket = io(a.url, { auth: { token: u.token }, transports: ['websocket'], forceNew: true, reconnectionDelay: 50 });
      sockets.push(socket);
      socket.onAny((event, payload) => events.push([event, payload]));
      const before = Date.now();
      await until(() => events.length, (n) => n >= 1, 10_000);
      const [event, payload] = events[0];
      expect(event).toBe('resync');
      const at = Date.parse((payload as { at: string }).at);
      expect(at).toBeGreaterThanOrEqual(before - 1_000);
      expect(at).toBeLessThanOrEqual(Date.now());

      await a.app.get(PointsService).addPoints({ userId: u.id, amount: 10, source: 'bonus', metadata: {}, idempotencyKey: `test:${randomUUID()}` });
      await until(() => events.length, (n) => n >= 2, 10_000);
      // The transport drops; socket.io-client reconnects by itself.
      socket.io.engine.close();
      await until(() => events.filter(([e]) => e === 'resync').length, (n) => n >= 2, 10_000);
      expect(events.map(([e]) => e)).toEqual(['resync', 'points-updated', 'resync']);
    });
  });

  describe('seq', () => {
    it('grows strictly on every socket of a user while two instances commit concurrent changes', async () => {
      const u = await createTestUser(a.app);
      const onA = await connectSocket(a.url, u.token);
      const onB = await connectSocket(b.url, u.token);
      sockets.push(onA, onB);
      await waitUntilCrossInstanceLive(a, u.id, onB);
      await waitUntilCrossInstanceLive(b, u.id, onA);
      const seenA = updates(onA);
      const seenB = updates(onB);

      const changes = 80;
      const responses = [];
      for (let wave = 0; wave < 4; wave++) {
        responses.push(
          ...(await Promise.all(
            Array.from({ length: changes / 4 }, (_, i) =>
              (i % 2 ? b : a).http.post('/api/points/admin/add').set(auth(admin)).send({ userId: u.id, amount: 1 + (i % 3), reason: 'order' }),
            ),
          )),
        );
      }
      expect(responses.filter((r) => r.status !== 201).map((r) => r.body)).toEqual([]);
      const [row] = await a.app.get(DataSource).query(`SELECT seq::int AS seq, available::int AS available FROM point_balances WHERE user_id = $1`, [u.id]);
      expect(row.seq).toBe(changes);

      for (const seen of [seenA, seenB]) {
        await until(() => seen.length, (n) => n >= changes, 20_000);
        const seqs = seen.map((p) => p.seq);
        expect(seqs.every((s, i) => i === 0 || s > seqs[i - 1])).toBe(true);
        expect(seqs).toEqual(Array.from({ length: changes }, (_, i) => i + 1));
        expect(seen[seen.length - 1].available).toBe(row.available);
      }
    });

    it('reaches every socket in seq order when two instances announce a user\'s changes in the opposite order', async () => {
      const u = await createTestUser(a.app);
      const onA = await connectSocket(a.url, u.token);
      const onB = await connectSocket(b.url, u.token);
      sockets.push(onA, onB);
      await waitUntilCrossInstanceLive(a, u.id, onB);
      await waitUntilCrossInstanceLive(b, u.id, onA);
      const seenA = updates(onA);
      const seenB = updates(onB);
      await a.app.get(PointsService).addPoints({ userId: u.id, amount: 10, source: 'bonus', metadata: {}, idempotencyKey: `test:${randomUUID()}` });
      await until(() => seenA.length + seenB.length, (n) => n >= 2, 10_000);
      // Change 3 is announced by one instance before change 2 is by the other, as a slow emit after commit does.
      const change = (seq: number): DomainEvent => ({
        userId: u.id,
        seq,
        event: 'points-updated',
        payload: { available: 10 * seq, total: 10 * seq, pending: 0, debt: 0, delta: 10, transactionId: `tx-${seq}`, seq },
      });
      a.app.get(RealtimeService).publish([change(3)]);
      await new Promise((r) => setTimeout(r, 150));
      b.app.get(RealtimeService).publish([change(2)]);
      for (const seen of [seenA, seenB]) {
        await until(() => seen.length, (n) => n >= 3, 10_000);
        expect(seen.map((p) => p.seq)).toEqual([1, 2, 3]);
      }
    });
  });

  describe('debt', () => {
    it('shows in points-updated and in my-points after a clawback beyond what is available', async () => {
      const u = await createTestUser(a.app);
      const socket = await connectSocket(b.url, u.token);
      sockets.push(socket);
      await waitUntilCrossInstanceLive(a, u.id, socket);
      const seen = updates(socket);
      const points = a.app.get(PointsService);
      await points.addPoints({ userId: u.id, amount: 30, source: 'purchase', metadata: {}, idempotencyKey: `test:${randomUUID()}` });
      await points.clawback({ userId: u.id, amount: 100, source: 'purchase', metadata: {}, idempotencyKey: `test:${randomUUID()}` });
      await until(() => seen.length, (n) => n >= 2, 10_000);
      expect(seen[1]).toMatchObject({ available: 0, debt: 70, delta: -100, seq: 2 });
      const me = await b.http.get('/api/points/my-points').set(auth(u)).expect(200);
      expect(me.body).toMatchObject({ available: 0, debt: 70 });

      await points.addPoints({ userId: u.id, amount: 100, source: 'purchase', metadata: {}, idempotencyKey: `test:${randomUUID()}` });
      await until(() => seen.length, (n) => n >= 3, 10_000);
      expect(seen[2]).toMatchObject({ available: 30, debt: 0, seq: 3 });
      expect((await b.http.get('/api/points/my-points').set(auth(u))).body).toMatchObject({ available: 30, debt: 0 });
    });
  });
});
