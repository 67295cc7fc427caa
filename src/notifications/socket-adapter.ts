import { INestApplicationContext, Logger } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { createAdapter as createPostgresAdapter } from '@socket.io/postgres-adapter';
import { createAdapter as createRedisAdapter } from '@socket.io/redis-adapter';
import { Redis } from 'ioredis';
import { Pool } from 'pg';

export interface ClusterAdapterOptions {
  databaseUrl?: string;
  redisUrl?: string;
}

/**
 * Socket.IO with fan-out between instances: through Redis pub/sub when REDIS_URL is set,
 * else through PostgreSQL LISTEN/NOTIFY on the app's own database. Closing the app
 * closes the pool or the Redis clients.
 */
export class ClusterIoAdapter extends IoAdapter {
  private readonly adapterLogger = new Logger('SocketAdapter');
  private pool?: Pool;
  private redis: Redis[] = [];

  constructor(
    app: INestApplicationContext,
    private readonly options: ClusterAdapterOptions,
  ) {
    super(app);
  }

  // Typed through IoAdapter: @nestjs/platform-socket.io carries its own copy of socket.io's types.
  override createIOServer(port: number, options?: Parameters<IoAdapter['createIOServer']>[1]): ReturnType<IoAdapter['createIOServer']> {
    const server = super.createIOServer(port, options);
    type AdapterFactory = Parameters<typeof server.adapter>[0];
    const onError = (err: Error) => this.adapterLogger.warn({ err }, 'socket.io adapter error');
    if (this.options.redisUrl) {
      const pub = new Redis(this.options.redisUrl, { lazyConnect: false, maxRetriesPerRequest: 3 });
      const sub = pub.duplicate();
      pub.on('error', onError);
      sub.on('error', onError);
      this.redis.push(pub, sub);
      server.adapter(createRedisAdapter(pub, sub) as unknown as AdapterFactory);
    } else if (this.options.databaseUrl) {
      // Two connections: the adapter's LISTEN holds one, and every publish goes through the other.
      // The adapter delivers an event locally only once its NOTIFY returns, so one publishing
      // connection keeps a user's events in the order they were emitted.
      this.pool ??= new Pool({ connectionString: this.options.databaseUrl, max: 2, application_name: 'referral-points-socket' });
      this.pool.on('error', onError);
      server.adapter(createPostgresAdapter(this.pool, { errorHandler: onError }) as unknown as AdapterFactory);
    }
    return server;
  }

  override async dispose(): Promise<void> {
    await super.dispose();
    const redis = this.redis;
    this.redis = [];
    await Promise.all(redis.map((client) => client.quit().catch(() => client.disconnect())));
    const pool = this.pool;
    this.pool = undefined;
    await pool?.end();
  }
}
