import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor } from './list-cursor';

describe('list cursor', () => {
  it('round-trips a microsecond timestamp and an id', () => {
    const cursor = { createdAt: '2026-11-21T22:10:00.123456Z', id: randomUUID() };
    const raw = encodeCursor(cursor);
    expect(raw).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(raw)).toEqual(cursor);
  });

  it.each(['', '!!!', 'abc', Buffer.from('2026-11-21T22:10:00.123456Z|not-a-uuid').toString('base64url'),
    Buffer.from(`2026-11-21|${randomUUID()}`).toString('base64url'),
    Buffer.from(`2026-11-21T22:10:00.123456Z|${randomUUID()}|x`).toString('base64url'),
    Buffer.from(`2026-02-30T22:10:00.123456Z|${randomUUID()}`).toString('base64url'),
    Buffer.from(`0000-01-01T00:00:00.000000Z|${randomUUID()}`).toString('base64url'),
    Buffer.from(`2026-01-01T24:00:00.000000Z|${randomUUID()}`).toString('base64url')])(
    'refuses %j with VALIDATION_FAILED',
    (raw) => {
      expect(() => decodeCursor(raw)).toThrowError(expect.objectContaining({ code: 'VALIDATION_FAILED', status: 400 }));
    },
  );
});
