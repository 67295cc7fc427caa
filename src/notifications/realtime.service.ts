import { Injectable, Logger } from '@nestjs/common';
import type { Server } from 'socket.io';
import { DomainEvent, ServerEventName, ServerEventPayload, ServerToClientEvents, userRoom } from './realtime-events';

/**
 * The one way services reach Socket.IO clients. Call it only after the change an event
 * announces has committed. The gateway attaches its server; until then emits are dropped.
 */
@Injectable()
export class RealtimeService {
  private readonly logger = new Logger(RealtimeService.name);
  private server?: Server<Record<string, never>, ServerToClientEvents>;

  attach(server: Server<Record<string, never>, ServerToClientEvents>): void {
    this.server = server;
  }

  emitToUser<E extends ServerEventName>(userId: string, event: E, payload: ServerEventPayload<E>): void {
    if (!this.server) return;
    try {
      (this.server.to(userRoom(userId)).emit as (e: E, p: ServerEventPayload<E>) => boolean)(event, payload);
    } catch (error) {
      this.logger.warn({ err: error, event }, 'socket emit failed');
    }
  }

  /** Disconnects every socket of the user, on every instance (through the adapter): its tokens were revoked. */
  disconnectUser(userId: string): void {
    if (!this.server) return;
    try {
      this.server.in(userRoom(userId)).disconnectSockets(true);
    } catch (error) {
      this.logger.warn({ err: error }, 'socket disconnect failed');
    }
  }

  publish(events: DomainEvent[]): void {
    for (const e of events) this.emitToUser(e.userId, e.event, e.payload);
  }
}
