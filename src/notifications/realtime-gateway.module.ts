import { DynamicModule, Module, Type } from '@nestjs/common';
import { RealtimeGateway } from './realtime.gateway';
import { SOCKET_AUTHENTICATOR, SocketAuthenticator, SocketSession } from './socket-authenticator';
import { SocketSessions } from './socket-sessions';

/** The Socket.IO gateway; the composition root hands it the authenticator (an injectable visible to this module). */
@Module({})
export class RealtimeGatewayModule {
  static forRoot<S extends SocketSession>(authenticator: Type<SocketAuthenticator<S>>): DynamicModule {
    return {
      module: RealtimeGatewayModule,
      providers: [RealtimeGateway, SocketSessions, { provide: SOCKET_AUTHENTICATOR, useExisting: authenticator }],
    };
  }
}
