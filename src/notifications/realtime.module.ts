import { Global, Module } from '@nestjs/common';
import { RealtimeGateway } from './realtime.gateway';
import { RealtimeService } from './realtime.service';
import { SocketSessions } from './socket-sessions';

@Global()
@Module({ providers: [RealtimeService, RealtimeGateway, SocketSessions], exports: [RealtimeService] })
export class RealtimeModule {}
