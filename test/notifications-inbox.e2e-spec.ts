import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NotificationsService } from '../src/notifications/notifications.service';
import { createTestApp, TestApp } from './utils/test-app';
import { auth, createTestUser, TestUser } from './utils/test-users';
import { UnitOfWork } from '../src/database/unit-of-work';

describe('notifications inbox', () => {
  let t: TestApp;
  let db: DataSource;

  beforeAll(async () => {
    t = await createTestApp();
    db = t.app.get(DataSource);
  });
  afterAll(() => t?.close());

  const notify = async (user: TestUser, title: string) =>
    (await t.app.get(UnitOfWork).run((tx) => t.app.get(NotificationsService).create({ tx, userId: user.id, type: 'level-reached', title, message: `${title} body` }))).payload.id;

  /** Follows nextCursor to the end, `limit` per page. */
  async function allPages(user: TestUser, limit: number, filter = ''): Promise<Array<{ id: string }>> {
    const items: Array<{ id: string }> = [];
    let cursor: string | null = null;
    for (let pages = 0; pages < 50; pages++) {
      const url: string = `/api/notifications?limit=${limit}${filter}${cursor ? `&cursor=${cursor}` : ''}`;
      const { body }: { body: { items: Array<{ id: string }>; nextCursor: string | null } } = await t.http.get(url).set(auth(user)).expect(200);
      expect(body.items.length).toBeLessThanOrEqual(limit);
      items.push(...body.items);
      cursor = body.nextCursor;
      if (!cursor) return items;
    }
    throw new Error('pagination never ended');
  }

  it('answers 401 without a token on every endpoint', async () => {
    for (const res of [
      await t.http.get('/api/notifications'),
      await t.http.post(`/api/notifications/${randomUUID()}/read`),
      await t.http.post('/api/notifications/read-all'),
    ]) {
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('UNAUTHORIZED');
    }
  });

  it('lists the caller\'s notifications newest first with the documented shape and the unread count', async () => {
    const user = await createTestUser(t.app);
    const other = await createTestUser(t.app);
    await notify(other, 'not yours');
    const first = await notify(user, 'first');
    const second = await notify(user, 'second');
    const { body } = await t.http.get('/api/notifications').set(auth(user)).expect(200);
    expect(body).toEqual({
      items: [
        { id: second, type: 'level-reached', title: 'second', message: 'second body', createdAt: expect.any(String), readAt: null },
        { id: first, type: 'level-reached', title: 'first', message: 'first body', createdAt: expect.any(String), readAt: null },
      ],
      nextCursor: null,
      unread: 2,
    });
  });

  it('pages through every notification once, ties on created_at included', async () => {
    const user = await createTestUser(t.app);
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) ids.push(await notify(user, `n${i}`));
    // Three more written at one instant: only the id orders them.
    const [{ at }] = await db.query(`SELECT now() AS at`);
    for (let i = 0; i < 3; i++) {
      const [row] = await db.query(
        `INSERT INTO notifications (user_id, type, title, message, created_at) VALUES ($1, 'level-reached', 'tie', 'tie', $2) RETURNING id`,
        [user.id, at],
      );
      ids.push(row.id);
    }
    const expected = (
      await db.query(`SELECT id FROM notifications WHERE user_id = $1 ORDER BY created_at DESC, id DESC`, [user.id])
    ).map((r: { id: string }) => r.id);
    for (const limit of [1, 2, 3, 100]) {
      const seen = (await allPages(user, limit)).map((i) => i.id);
      expect(seen, `limit ${limit}`).toEqual(expected);
      expect(new Set(seen).size).toBe(ids.length);
    }
  });

  it('marks one read (204, idempotent, first read time kept) and filters ?unread=true', async () => {
    const user = await createTestUser(t.app);
    const a = await notify(user, 'a');
    const b = await notify(user, 'b');
    const c = await notify(user, 'c');
    await t.http.post(`/api/notifications/${b}/read`).set(auth(user)).expect(204);
    const after = await t.http.get('/api/notifications').set(auth(user)).expect(200);
    expect(after.body.unread).toBe(2);
    const readAt = after.body.items.find((i: { id: string }) => i.id === b).readAt;
    expect(readAt).toEqual(expect.any(String));
    await t.http.post(`/api/notifications/${b}/read`).set(auth(user)).expect(204);
    const again = await t.http.get('/api/notifications').set(auth(user)).expect(200);
    expect(again.body.items.find((i: { id: string }) => i.id === b).readAt).toBe(readAt);
    expect((await allPages(user, 1, '&unread=true')).map((i) => i.id)).toEqual([c, a]);
    const unfiltered = await t.http.get('/api/notifications?unread=false').set(auth(user)).expect(200);
    expect(unfiltered.body.items).toHaveLength(3);
  });

  it("answers 404 for another user's notification and leaves it unread", async () => {
    const owner = await createTestUser(t.app);
    const intruder = await createTestUser(t.app);
    const id = await notify(owner, 'private');
    for (const target of [id, randomUUID(), 'not-a-uuid']) {
      const res = await t.http.post(`/api/notifications/${target}/read`).set(auth(intruder));
      expect(res.status, target).toBe(404);
      expect(res.body.code).toBe('NOTIFICATION_NOT_FOUND');
    }
    const { body } = await t.http.get('/api/notifications').set(auth(owner)).expect(200);
    expect(body.items[0]).toMatchObject({ id, readAt: null });
    expect(body.unread).toBe(1);
  });

  it("read-all marks only the caller's notifications read", async () => {
    const user = await createTestUser(t.app);
    const other = await createTestUser(t.app);
    for (let i = 0; i < 3; i++) await notify(user, `u${i}`);
    await notify(other, 'theirs');
    await t.http.post('/api/notifications/read-all').set(auth(user)).expect(204);
    const mine = await t.http.get('/api/notifications').set(auth(user)).expect(200);
    expect(mine.body.unread).toBe(0);
    expect(mine.body.items.every((i: { readAt: string | null }) => i.readAt !== null)).toBe(true);
    expect((await t.http.get('/api/notifications?unread=true').set(auth(user)).expect(200)).body.items).toEqual([]);
    expect((await t.http.get('/api/notifications').set(auth(other)).expect(200)).body.unread).toBe(1);
    await t.http.post('/api/notifications/read-all').set(auth(user)).expect(204);
  });

  it('answers 400 for a bad filter, limit or cursor', async () => {
    const user = await createTestUser(t.app);
    for (const q of ['unread=yes', 'unread=1', 'limit=0', 'limit=101', 'limit=abc', 'cursor=abc', 'cursor=%25%25', 'foo=1']) {
      const res = await t.http.get(`/api/notifications?${q}`).set(auth(user));
      expect(res.status, q).toBe(400);
      expect(res.body.code, q).toBe('VALIDATION_FAILED');
    }
  });
});
