import { INestApplicationContext, Logger } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { createAdapter as createRedisAdapter } from '@socket.io/redis-adapter';
import { PostgresClusterPubSub } from './postgres-cluster-adapter';
import { RealtimeService } from './realtime.service';
import { createRedisClusterClients, RedisClusterClients } from './redis-cluster-clients';

export interface ClusterAdapterOptions {
  databaseUrl?: string;
  redisUrl?: string;
}

/**
 * Socket.IO with fan-out between instances: through Redis pub/sub when REDIS_URL is set,
 * else through PostgreSQL LISTEN/NOTIFY on the app's own database. Either survives its server
 * going away; when the link is back, this instance's sockets are told to resync, since what
 * was published in between never arrived. Closing the app closes the connections.
 */
export class ClusterIoAdapter extends IoAdapter {
  private readonly adapterLogger = new Logger('SocketAdapter');
  private postgres?: PostgresClusterPubSub;
  private redis?: RedisClusterClients;

  constructor(
    private readonly app: INestApplicationContext,
    private readonly options: ClusterAdapterOptions,
  ) {
    super(app);
  }

  // Typed through IoAdapter: @nestjs/platform-socket.io carries its own copy of socket.io's types.
  override createIOServer(port: number, options?: Parameters<IoAdapter['createIOServer']>[1]): ReturnType<IoAdapter['createIOServer']> {
    const server = super.createIOServer(port, options);
    type AdapterFactory = Parameters<typeof server.adapter>[0];
    const onReconnected = () => this.resyncSockets();
    const onPublishRecovered = () => this.resyncOtherInstances();
    if (this.options.redisUrl) {
      this.redis ??= createRedisClusterClients(this.options.redisUrl, this.adapterLogger, onReconnected, onPublishRecovered);
      server.adapter(createRedisAdapter(this.redis.pub, this.redis.sub) as unknown as AdapterFactory);
    } else if (this.options.databaseUrl) {
      this.postgres ??= new PostgresClusterPubSub({
        databaseUrl: this.options.databaseUrl,
        applicationName: 'referral-points-socket',
        onReconnected,
        onPublishRecovered,
        logger: this.adapterLogger,
      });
      server.adapter(this.postgres.adapterFactory() as unknown as AdapterFactory);
    }
    return server;
  }

  override async dispose(): Promise<void> {
    await super.dispose();
    const { redis, postgres } = this;
    this.redis = undefined;
    this.postgres = undefined;
    await redis?.close();
    await postgres?.close();
  }

  private resyncOtherInstances(): void {
    try {
      this.app.get(RealtimeService, { strict: false }).resyncOthers();
    } catch (error) {
      this.adapterLogger.warn({ msg: 'socket.io: could not ask the other instances to resync', error: String(error) });
    }
  }

  private resyncSockets(): void {
    try {
      this.app.get(RealtimeService, { strict: false }).resyncAll();
    } catch (error) {
      this.adapterLogger.warn({ msg: 'socket.io: could not resync the sockets', error: String(error) });
    }
  }
}
