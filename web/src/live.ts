import { io, type Socket } from 'socket.io-client';
import { useEffect, useRef } from 'preact/hooks';
import type { ServerEvents } from './api/types';

type Handlers = { [K in keyof ServerEvents]?: (payload: ServerEvents[K]) => void };

/** One socket for the page's life, authenticated with the token; the latest handlers are always the ones called. */
export function useLive(token: string | null, handlers: Handlers, onStatus?: (connected: boolean) => void): void {
  const ref = useRef(handlers);
  ref.current = handlers;
  const statusRef = useRef(onStatus);
  statusRef.current = onStatus;
  useEffect(() => {
    if (!token) return;
    const socket: Socket = io({ path: '/socket.io', auth: { token }, transports: ['websocket', 'polling'] });
    const names: Array<keyof ServerEvents> = ['points-updated', 'level-up', 'level-down', 'new-notification', 'referral-signup', 'resync'];
    for (const name of names) socket.on(name, (payload: unknown) => (ref.current[name] as ((p: unknown) => void) | undefined)?.(payload));
    socket.on('connect', () => statusRef.current?.(true));
    socket.on('disconnect', () => statusRef.current?.(false));
    socket.on('connect_error', () => statusRef.current?.(false));
    return () => {
      socket.disconnect();
    };
  }, [token]);
}
