import { Logger } from '@nestjs/common';
import { Redis } from 'ioredis';
import { OutageLog } from './outage-log';

export interface RedisClusterClients {
  pub: Redis;
  sub: Redis;
  close(): Promise<void>;
}

/**
 * The publishing and subscribing clients of the Redis adapter, made to outlive Redis: ioredis
 * reconnects with capped back-off and re-subscribes by itself, but the adapter's publishes
 * reject while Redis is away (unhandled, they would end the process) and every failed attempt
 * emits an 'error'. Here each is handled and an outage logs one line each way.
 */
export function createRedisClusterClients(
  url: string,
  logger: Logger,
  onReconnected: () => void,
  onPublishRecovered: () => void,
): RedisClusterClients {
  const retryStrategy = (times: number) => Math.min(250 * 2 ** Math.min(times, 5), 5_000);
  const pub = new Redis(url, { maxRetriesPerRequest: 3, retryStrategy });
  const sub = pub.duplicate();
  const pubOutage = new OutageLog(logger, 'socket.io Redis publishing connection');
  const subOutage = new OutageLog(logger, 'socket.io Redis subscribing connection');

  let publishLost = false;
  const publish = pub.publish.bind(pub) as (channel: string, message: string | Buffer) => Promise<number>;
  (pub as unknown as { publish: typeof publish }).publish = (channel, message) =>
    publish(channel, message).catch((error: unknown) => {
      // Lost, and the other instances' subscription may never have dropped: once publishing works
      // again they are asked to resync their sockets.
      pubOutage.failed(error);
      publishLost = true;
      return 0;
    });

  let closing = false;
  let subscribedOnce = false;
  pub.on('error', (e) => pubOutage.failed(e));
  pub.on('ready', () => {
    pubOutage.recovered();
    if (!publishLost) return;
    publishLost = false;
    onPublishRecovered();
  });
  sub.on('error', (e) => subOutage.failed(e));
  sub.on('close', () => {
    if (!closing && subscribedOnce) subOutage.failed(new Error('connection closed'));
  });
  sub.on('ready', () => {
    if (!subscribedOnce) {
      subscribedOnce = true;
      return;
    }
    // ioredis sent the re-subscriptions first: once this answers they are in force.
    void sub.ping().then(
      () => {
        subOutage.recovered();
        onReconnected();
      },
      (e: unknown) => subOutage.failed(e),
    );
  });

  return {
    pub,
    sub,
    close: async () => {
      closing = true;
      await Promise.all([pub, sub].map((client) => client.quit().catch(() => client.disconnect())));
    },
  };
}
