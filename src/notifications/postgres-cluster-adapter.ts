import { decode, encode } from '@msgpack/msgpack';
import { Logger } from '@nestjs/common';
import { PostgresAdapter } from '@socket.io/postgres-adapter';
import type { PubSubClient } from '@socket.io/postgres-adapter/dist/util';
import { hasBinary } from '@socket.io/postgres-adapter/dist/util';
import { Pool } from 'pg';
import { ClusterMessage, ClusterResponse, MessageType } from 'socket.io-adapter';
import { OutageLog } from './outage-log';
import { PgListener } from './pg-listener';

export interface PostgresClusterOptions {
  databaseUrl: string;
  applicationName: string;
  /** After the LISTEN connection was lost and is back: messages of the gap never arrived. */
  onReconnected: () => void;
  /** After a publish was lost: the other instances' sockets missed what it carried. */
  onPublishRecovered: () => void;
  logger: Logger;
}

/** As @socket.io/postgres-adapter names them, so instances of either kind understand each other. */
const CHANNEL_PREFIX = 'socket.io';
const ATTACHMENTS = 'socket_io_attachments';
const PAYLOAD_THRESHOLD = 8_000;
const ATTACHMENT_TTL_MS = 30_000;
const BINARY_TYPES = new Set([MessageType.BROADCAST, MessageType.BROADCAST_ACK, MessageType.SERVER_SIDE_EMIT, MessageType.SERVER_SIDE_EMIT_RESPONSE]);

type Message = (ClusterMessage | ClusterResponse) & { attachmentId?: string };

/**
 * The package's PostgresAdapter (heartbeats, requests, acks) over our own pub/sub: the package's
 * client has no 'error' handler on its LISTEN connection and never releases a dead one to its
 * pool, so one terminated backend ends the process or, caught, stops all fan-out for good.
 * Publishing goes through a pool of one connection, so this instance's messages leave in the
 * order they were emitted; the LISTEN connection is a PgListener of its own.
 */
export class PostgresClusterPubSub {
  private readonly pool: Pool;
  private readonly listener: PgListener;
  private readonly publishOutage: OutageLog;
  private readonly cleanupTimer: NodeJS.Timeout;
  private readonly adapters = new Map<string, PostgresAdapter>();
  private publishLost = false;
  private probeTimer?: NodeJS.Timeout;

  constructor(private readonly options: PostgresClusterOptions) {
    const { databaseUrl, applicationName, logger } = options;
    this.publishOutage = new OutageLog(logger, 'socket.io publishing connection');
    this.pool = new Pool({
      connectionString: databaseUrl,
      application_name: applicationName,
      max: 1,
      connectionTimeoutMillis: 5_000,
      query_timeout: 5_000,
      keepAlive: true,
    });
    // A pooled connection that dies while idle is dropped by the pool; the next query opens another.
    this.pool.on('error', (e) => this.publishOutage.failed(e));
    this.listener = new PgListener({
      client: { connectionString: databaseUrl, application_name: applicationName },
      onNotification: (_channel, payload) => void this.receive(payload),
      onReconnected: options.onReconnected,
      outage: new OutageLog(logger, 'socket.io LISTEN connection'),
    });
    this.listener.start();
    this.cleanupTimer = setInterval(() => {
      this.pool
        .query(`DELETE FROM ${ATTACHMENTS} WHERE created_at < now() - make_interval(secs => $1)`, [ATTACHMENT_TTL_MS / 1000])
        .then(() => this.publishOutage.recovered(), (e: unknown) => this.publishOutage.failed(e));
    }, ATTACHMENT_TTL_MS).unref();
  }

  /** The factory socket.io's `server.adapter()` takes. */
  adapterFactory(): (nsp: { name: string }) => PostgresAdapter {
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- socket.io calls the factory with `new`: no arrow function
    const pubsub = this;
    return function createAdapter(nsp) {
      const adapter = new PostgresAdapter(nsp, {}, pubsub as unknown as PubSubClient);
      pubsub.adapters.set(nsp.name, adapter);
      pubsub.listener.listen(`${CHANNEL_PREFIX}#${nsp.name}`);
      return adapter;
    };
  }

  async publish(message: Message): Promise<void> {
    try {
      const payload = JSON.stringify(message);
      const big = (BINARY_TYPES.has(message.type) && hasBinary(message)) || Buffer.byteLength(payload) > PAYLOAD_THRESHOLD;
      const header = big ? JSON.stringify({ uid: message.uid, type: message.type, attachmentId: await this.attach(message) }) : payload;
      await this.pool.query('SELECT pg_notify($1, $2)', [`${CHANNEL_PREFIX}#${message.nsp}`, header]);
      this.publishOutage.recovered();
    } catch (error) {
      // Lost, and the other instances' LISTEN may never have dropped: once publishing works again
      // they are asked to resync their sockets.
      this.publishOutage.failed(error);
      this.publishLost = true;
      this.probeUntilPublishing(500);
    }
  }

  private probeUntilPublishing(delayMs: number): void {
    if (this.probeTimer) return;
    this.probeTimer = setTimeout(() => {
      this.probeTimer = undefined;
      this.pool.query('SELECT 1').then(
        () => {
          this.publishOutage.recovered();
          if (!this.publishLost) return;
          this.publishLost = false;
          this.options.onPublishRecovered();
        },
        () => this.probeUntilPublishing(Math.min(delayMs * 2, 5_000)),
      );
    }, delayMs);
    this.probeTimer.unref();
  }

  async close(): Promise<void> {
    clearInterval(this.cleanupTimer);
    clearTimeout(this.probeTimer);
    this.adapters.clear();
    await this.listener.stop();
    await this.pool.end().catch(() => undefined);
  }

  private async attach(message: Message): Promise<string> {
    const { rows } = await this.pool.query(`INSERT INTO ${ATTACHMENTS} (payload) VALUES ($1) RETURNING id`, [Buffer.from(encode(message))]);
    return String(rows[0].id);
  }

  private async receive(payload: string): Promise<void> {
    try {
      let message = JSON.parse(payload) as Message;
      if (message.attachmentId) {
        if (this.isOwn(message.uid)) return;
        const { rows } = await this.pool.query(`SELECT payload FROM ${ATTACHMENTS} WHERE id = $1`, [message.attachmentId]);
        if (!rows[0]) return;
        message = decode(rows[0].payload) as Message;
      }
      // The adapter itself ignores its own messages.
      (this.adapters.get(message.nsp) as unknown as { onMessage(m: Message): void } | undefined)?.onMessage(message);
    } catch (error) {
      this.options.logger.warn({ msg: 'socket.io: a cluster message could not be read', error: String(error) });
    }
  }

  private isOwn(uid: string): boolean {
    for (const adapter of this.adapters.values()) if ((adapter as unknown as { uid: string }).uid === uid) return true;
    return false;
  }
}
