import { io, Socket } from 'socket.io-client';
import { RealtimeService } from '../../src/notifications/realtime.service';
import { TestApp } from './test-app';
import { until } from './wait';

/** A socket.io client of `url` with `token`, once the server accepted it. */
export async function connectSocket(url: string, token: string): Promise<Socket> {
  const socket = io(url, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  return socket;
}

/**
 * Waits until events emitted on `from` reach `socket` (connected to another instance): the
 * adapters subscribe asynchronously after start-up. Pings as points-updated, then lets the last
 * ping land before the caller starts counting.
 */
export async function waitUntilCrossInstanceLive(from: TestApp, userId: string, socket: Socket): Promise<void> {
  let heard = 0;
  const count = () => heard++;
  socket.on('points-updated', count);
  let ping = 0;
  await until(
    () => {
      if (heard === 0) {
        from.app.get(RealtimeService).emitToUser(userId, 'points-updated', { available: 0, total: 0, pending: 0, debt: 0, delta: 0, transactionId: `ping-${++ping}`, seq: 0 });
      }
      return heard;
    },
    (n) => n > 0,
    10_000,
  );
  await new Promise((r) => setTimeout(r, 300));
  socket.off('points-updated', count);
}
