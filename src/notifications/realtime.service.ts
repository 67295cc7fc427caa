import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { UnitOfWork } from '../database/unit-of-work';
import type { Server, Socket } from 'socket.io';
import { DomainEvent, ServerEventName, ServerEventPayload, ServerToClientEvents, userRoom } from './realtime-events';
import { relayChunks } from './relay-chunks';
import { UserEventOrder } from './user-event-order';

/** The server-side event that carries domain events to the other instances. */
const RELAY = 'domain-events';
/** The server-side event that asks the other instances to resync their sockets. */
const RESYNC = 'resync-sockets';
/** Under the PostgreSQL adapter's inline NOTIFY limit (8,000 bytes), with room for its envelope: a bigger message goes through an attachment row and could overtake, or be overtaken by, the next. */
const RELAY_MESSAGE_BYTES = 6_000;

type RealtimeServer = Server<Record<string, never>, ServerToClientEvents>;

/**
 * The one way services reach Socket.IO clients. Call it only after the change an event
 * announces has committed. The gateway attaches its server; until then emits are dropped.
 *
 * Every instance delivers to its own sockets only: an emitting instance hands its events to
 * the others (serverSideEmit, through the cluster adapter) and to its own UserEventOrder, and
 * each instance puts what reaches it back into each user's commit order before emitting.
 */
@Injectable()
export class RealtimeService implements OnModuleInit {
  private readonly logger = new Logger(RealtimeService.name);
  private server?: RealtimeServer;
  private clustered = false;
  private readonly order = new UserEventOrder((e) => this.deliver(e));
  /** Emitted in this turn of the event loop, not yet relayed: a commit's events leave together. */
  private unrelayed: DomainEvent[] = [];

  constructor(private readonly uow: UnitOfWork) {}

  onModuleInit(): void {
    this.uow.addSink({ kind: 'domain-event', afterCommit: (events) => this.publish(events) });
  }

  attach(server: RealtimeServer): void {
    this.server = server;
    const nsp = server.of('/');
    // socket.io's in-memory adapter (no other instance) only warns on serverSideEmit.
    this.clustered = nsp.adapter.constructor.name !== 'Adapter';
    const relay = nsp as unknown as { on(ev: string, fn: (events: DomainEvent[]) => void): void };
    relay.on(RELAY, (events) => this.receive(events));
    relay.on(RESYNC, () => this.resyncAll());
  }

  /** `seq`: the balance change the event belongs to, when it belongs to one (DomainEvent). */
  emitToUser<E extends ServerEventName>(userId: string, event: E, payload: ServerEventPayload<E>, seq?: number): void {
    if (!this.server) return;
    const e = { userId, event, payload, seq } as DomainEvent;
    if (this.clustered && this.unrelayed.push(e) === 1) queueMicrotask(() => this.relay());
    this.order.push(e);
  }

  /** What this turn emitted, in order, in as few messages as fit; before any other message to the instances. */
  private relay(): void {
    const events = this.unrelayed;
    this.unrelayed = [];
    for (const chunk of relayChunks(events, RELAY_MESSAGE_BYTES)) {
      try {
        (this.server!.serverSideEmit as (ev: string, events: DomainEvent[]) => boolean)(RELAY, chunk);
      } catch (error) {
        this.logger.warn({ msg: 'socket relay failed', error: String(error) });
      }
    }
  }

  /** Disconnects every socket of the user, on every instance (through the adapter): its tokens were revoked. */
  disconnectUser(userId: string): void {
    if (!this.server) return;
    this.relay();
    try {
      this.server.in(userRoom(userId)).disconnectSockets(true);
    } catch (error) {
      this.logger.warn({ err: error }, 'socket disconnect failed');
    }
  }

  publish(events: DomainEvent[]): void {
    for (const e of events) this.emitToUser(e.userId, e.event, e.payload, e.seq);
  }

  /** Tells a socket that joined its room to fetch what it shows: nothing before this is replayed. */
  resync(socket: Socket<Record<string, never>, ServerToClientEvents>): void {
    socket.emit('resync', { at: new Date().toISOString() });
  }

  /** After this instance's link to the others was down: its sockets may have missed events. */
  resyncAll(): void {
    if (!this.server) return;
    this.order.reset();
    this.server.local.emit('resync', { at: new Date().toISOString() });
    this.logger.log({ msg: 'socket.io link back: told the sockets to resync' });
  }

  /** After this instance lost a publish: the others' sockets may have missed what it carried. */
  resyncOthers(): void {
    if (!this.server || !this.clustered) return;
    this.relay();
    try {
      (this.server.serverSideEmit as (ev: string) => boolean)(RESYNC);
    } catch (error) {
      this.logger.warn({ msg: 'socket resync request failed', error: String(error) });
    }
  }

  private receive(events: DomainEvent[]): void {
    if (!Array.isArray(events)) return;
    for (const e of events) this.order.push(e);
  }

  private deliver(e: DomainEvent): void {
    try {
      (this.server!.local.to(userRoom(e.userId)).emit as (ev: ServerEventName, p: unknown) => boolean)(e.event, e.payload);
    } catch (error) {
      this.logger.warn({ msg: 'socket emit failed', event: e.event, error: String(error) });
    }
  }
}
