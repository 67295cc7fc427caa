import { describe, expect, it, vi } from 'vitest';
import type { UnitOfWork } from '../database/unit-of-work';
import { DomainEvent } from './realtime-events';
import { RealtimeService } from './realtime.service';

const points = (userId: string, seq: number): DomainEvent => ({
  userId,
  seq,
  event: 'points-updated',
  payload: { available: seq, total: seq, pending: 0, debt: 0, delta: 1, transactionId: `t${seq}`, seq },
});

/** A server behind a cluster adapter: what it relays to the other instances and emits to its own sockets. */
function clusteredServer() {
  class ClusterAdapter {}
  const relayed: DomainEvent[][] = [];
  const emitted: Array<{ room: string; seq: number }> = [];
  const sent: string[] = [];
  const server = {
    of: () => ({ adapter: new ClusterAdapter(), on: () => undefined }),
    serverSideEmit: (_event: string, events: DomainEvent[]) => sent.push('relay') > 0 && relayed.push(events) > 0,
    in: () => ({ disconnectSockets: () => sent.push('disconnect') }),
    local: { to: (room: string) => ({ emit: (_event: string, payload: { seq: number }) => emitted.push({ room, seq: payload.seq }) > 0 }) },
  };
  return { server, relayed, emitted, sent };
}

describe('RealtimeService', () => {
  describe('publish', () => {
    it('relays the events of one commit in as few messages as fit, in order, and delivers each locally', async () => {
      const realtime = new RealtimeService({ addSink: vi.fn() } as unknown as UnitOfWork);
      const { server, relayed, emitted } = clusteredServer();
      realtime.attach(server as never);
      const events = Array.from({ length: 30 }, (_, i) => points(`u${i % 3}`, 1 + Math.floor(i / 3)));
      realtime.publish(events);
      await null;
      expect(relayed.length).toBeLessThanOrEqual(2);
      expect(relayed.flat()).toEqual(events);
      expect(emitted).toHaveLength(30);
    });

    it('keeps every relay message under what the adapter NOTIFYs inline, however long the events', async () => {
      const realtime = new RealtimeService({ addSink: vi.fn() } as unknown as UnitOfWork);
      const { server, relayed } = clusteredServer();
      realtime.attach(server as never);
      const notification = (i: number) =>
        ({ userId: `u${i}`, event: 'new-notification', payload: { id: `n${i}`, type: 'referral-converted', title: 'Your friend made their first purchase', message: '—'.repeat(300), createdAt: new Date(0).toISOString() } }) as DomainEvent;
      const events = Array.from({ length: 25 }, (_, i) => notification(i));
      realtime.publish(events);
      await null;
      expect(relayed.length).toBeGreaterThan(1);
      for (const message of relayed) expect(Buffer.byteLength(JSON.stringify(message))).toBeLessThanOrEqual(6_000);
      expect(relayed.flat()).toEqual(events);
    });

    it('relays a lone event as one message, before a disconnect asked for after it', async () => {
      const realtime = new RealtimeService({ addSink: vi.fn() } as unknown as UnitOfWork);
      const { server, relayed, sent } = clusteredServer();
      realtime.attach(server as never);
      realtime.emitToUser('u', 'points-updated', points('u', 1).payload as never, 1);
      realtime.disconnectUser('u');
      expect(sent).toEqual(['relay', 'disconnect']);
      await null;
      expect(relayed).toEqual([[points('u', 1)]]);
    });
  });
});
