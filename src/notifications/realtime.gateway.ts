import { Inject } from '@nestjs/common';
import { OnGatewayConnection, OnGatewayInit, WebSocketGateway } from '@nestjs/websockets';
import type { Server, Socket } from 'socket.io';
import { scrapeSources } from '../metrics/metrics';
import { ServerToClientEvents, userRoom } from './realtime-events';
import { RealtimeService } from './realtime.service';
import { SOCKET_AUTHENTICATOR, SocketAuthenticator, SocketSession } from './socket-authenticator';
import { SocketSessions } from './socket-sessions';

type RealtimeServer = Server<Record<string, never>, ServerToClientEvents, Record<string, never>, SocketData>;
type RealtimeSocket = Socket<Record<string, never>, ServerToClientEvents, Record<string, never>, SocketData>;
type SocketData = { session?: SocketSession };

/**
 * Server-to-client only: each socket joins its own `user-{id}` room and nothing else. There
 * are no message handlers, so a client cannot join another room or trigger anything.
 */
@WebSocketGateway({ path: '/socket.io', cors: { origin: true } })
export class RealtimeGateway implements OnGatewayInit<RealtimeServer>, OnGatewayConnection<RealtimeSocket> {
  constructor(
    @Inject(SOCKET_AUTHENTICATOR) private readonly authenticator: SocketAuthenticator,
    private readonly realtime: RealtimeService,
    private readonly sessions: SocketSessions,
  ) {}

  afterInit(server: RealtimeServer): void {
    // Refusing in a middleware gives the client a `connect_error`, not a connect then a drop.
    server.use((socket, next) => {
      this.authenticator.authenticate(socket.handshake.auth?.token).then(
        (session) => {
          if (!session) return next(new Error('unauthorized'));
          socket.data.session = session;
          next();
        },
        // The account could not be read (database down): refused, the client retries.
        () => next(new Error('unavailable')),
      );
    });
    this.realtime.attach(server);
    // Read at scrape time: the count costs nothing on connect or disconnect.
    scrapeSources.sockets = () => server.of('/').sockets.size;
  }

  handleConnection(socket: RealtimeSocket): void {
    const session = socket.data.session;
    if (!session) {
      socket.disconnect(true);
      return;
    }
    void socket.join(userRoom(session.userId));
    this.sessions.track(socket);
    this.sendResync(socket);
  }

  /** After the join, so that no event between the resync and the client's refetch is missed (API.md). */
  private sendResync(socket: RealtimeSocket): void {
    this.realtime.resync(socket);
  }
}
