import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import type { Socket } from 'socket.io';
import { SOCKET_AUTHENTICATOR, SocketAuthenticator, SocketSession } from './socket-authenticator';

/** How often each instance re-checks its sockets' tokens: a demotion by the CLI, or a change on another instance, lands within this plus a query. */
export const SOCKET_SWEEP_MS = 2_000;
const MAX_TIMER_MS = 2_147_483_647;

type TrackedSocket = Pick<Socket, 'id' | 'disconnect' | 'once'> & { data: { session?: SocketSession } };

/**
 * Keeps open sockets honest to their tokens: each is dropped when its token expires (a timer
 * per socket), and the periodic sweep drops those whose account was closed, demoted or had
 * its password reset, or whose role changed since it connected (API.md, Auth: "and on open sockets").
 */
@Injectable()
export class SocketSessions implements OnModuleDestroy {
  private readonly logger = new Logger(SocketSessions.name);
  private readonly sockets = new Map<string, TrackedSocket>();
  private sweeper?: NodeJS.Timeout;
  private sweeping = false;

  constructor(@Inject(SOCKET_AUTHENTICATOR) private readonly authenticator: SocketAuthenticator) {}

  track(socket: TrackedSocket): void {
    const session = socket.data.session;
    if (!session) return void socket.disconnect(true);
    const expiry = setTimeout(() => socket.disconnect(true), Math.min(MAX_TIMER_MS, Math.max(0, session.expiresAt - Date.now())));
    expiry.unref();
    this.sockets.set(socket.id, socket);
    socket.once('disconnect', () => {
      clearTimeout(expiry);
      this.sockets.delete(socket.id);
    });
    this.sweeper ??= setInterval(() => void this.sweep(), SOCKET_SWEEP_MS).unref();
  }

  /** Disconnects the tracked sockets whose token is no longer honoured; how many. */
  async sweep(): Promise<number> {
    if (this.sweeping || this.sockets.size === 0) return 0;
    this.sweeping = true;
    try {
      const sockets = [...this.sockets.values()];
      const valid = await this.authenticator.stillValid(sockets.map((s) => s.data.session!));
      let dropped = 0;
      sockets.forEach((socket, i) => {
        if (valid[i]) return;
        socket.disconnect(true);
        dropped++;
      });
      return dropped;
    } catch (error) {
      // A failed read keeps the sockets until the next sweep: an outage must not drop every client.
      this.logger.warn({ err: error }, 'socket session sweep failed');
      return 0;
    } finally {
      this.sweeping = false;
    }
  }

  onModuleDestroy(): void {
    clearInterval(this.sweeper);
    this.sweeper = undefined;
  }
}
