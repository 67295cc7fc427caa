import { Client, ClientConfig, escapeIdentifier } from 'pg';
import { OutageLog } from './outage-log';

export interface PgListenerOptions {
  client: ClientConfig;
  onNotification: (channel: string, payload: string) => void;
  /** Called after a lost connection is replaced: notifications sent in between are gone. */
  onReconnected: () => void;
  outage: OutageLog;
  /** A query on the connection this often proves it alive and keeps proxies from timing it out. */
  heartbeatMs?: number;
  minDelayMs?: number;
  maxDelayMs?: number;
}

/**
 * One dedicated connection that LISTENs on a set of channels and outlives the database: a
 * terminated backend, a restart, a failover or a proxy cutting an idle connection end it, and it
 * is replaced with capped, jittered back-off. It is a plain client, not one borrowed from a
 * pool, so a dead one is simply dropped and never holds a pool slot.
 */
export class PgListener {
  private readonly channels = new Set<string>();
  private current?: Client;
  private live = false;
  private everLive = false;
  private attempt = 0;
  private stopped = false;
  private retryTimer?: NodeJS.Timeout;
  private heartbeatTimer?: NodeJS.Timeout;

  constructor(private readonly options: PgListenerOptions) {}

  start(): void {
    void this.connect();
  }

  listen(channel: string): void {
    if (this.channels.has(channel)) return;
    this.channels.add(channel);
    const client = this.current;
    if (client && this.live) client.query(`LISTEN ${escapeIdentifier(channel)}`).catch((e: unknown) => this.lost(client, e));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    clearInterval(this.heartbeatTimer);
    const client = this.current;
    this.current = undefined;
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    // Timeouts, so that a server that accepts but never answers (half-open, blackholed) is left too.
    const client = new Client({
      keepAlive: true,
      keepAliveInitialDelayMillis: 10_000,
      connectionTimeoutMillis: 10_000,
      query_timeout: 10_000,
      ...this.options.client,
    });
    this.current = client;
    this.live = false;
    // Kept for the client's whole life: an 'error' without a listener would end the process.
    client.on('error', (e) => this.lost(client, e));
    client.on('end', () => this.lost(client, new Error('connection closed')));
    client.on('notification', (n) => {
      if (client === this.current && n.payload !== undefined) this.options.onNotification(n.channel, n.payload);
    });
    try {
      await client.connect();
      for (const channel of this.channels) await client.query(`LISTEN ${escapeIdentifier(channel)}`);
    } catch (error) {
      this.lost(client, error);
      return;
    }
    if (client !== this.current) return;
    this.live = true;
    this.attempt = 0;
    this.options.outage.recovered();
    let beating = false;
    this.heartbeatTimer = setInterval(() => {
      if (beating) return;
      beating = true;
      client.query('SELECT 1').then(
        () => (beating = false),
        (e: unknown) => this.lost(client, e),
      );
    }, this.options.heartbeatMs ?? 15_000).unref();
    if (this.everLive) this.options.onReconnected();
    this.everLive = true;
  }

  private lost(client: Client, error: unknown): void {
    if (client !== this.current) return;
    this.current = undefined;
    this.live = false;
    clearInterval(this.heartbeatTimer);
    void client.end().catch(() => undefined);
    if (this.stopped) return;
    this.options.outage.failed(error);
    const { minDelayMs = 250, maxDelayMs = 5_000 } = this.options;
    const ceiling = Math.min(maxDelayMs, minDelayMs * 2 ** this.attempt++);
    this.retryTimer = setTimeout(() => void this.connect(), ceiling / 2 + (Math.random() * ceiling) / 2);
    this.retryTimer.unref();
  }
}
