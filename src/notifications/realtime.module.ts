import { Global, Module } from '@nestjs/common';
import { RealtimeService } from './realtime.service';

/** How services reach Socket.IO clients; the gateway itself is RealtimeGatewayModule. */
@Global()
@Module({ providers: [RealtimeService], exports: [RealtimeService] })
export class RealtimeModule {}
