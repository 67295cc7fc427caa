import { Logger } from '@nestjs/common';
import { createConnection, createServer, Server, Socket } from 'node:net';
import { Client } from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { OutageLog } from './outage-log';
import { PgListener } from './pg-listener';

/**
 * A TCP proxy in front of the test database that can cut every connection (as a proxy's idle
 * timeout or a failover does) or silently stop forwarding (a half-open connection). It only
 * closes its own sockets: the database server is shared and never touched.
 */
class FlakyProxy {
  private readonly server: Server;
  private readonly pairs = new Set<[Socket, Socket]>();
  blackhole = false;
  port = 0;

  constructor(private readonly target: { host: string; port: number }) {
    this.server = createServer((client) => {
      const upstream = createConnection(this.target);
      const pair: [Socket, Socket] = [client, upstream];
      this.pairs.add(pair);
      const forward = (to: Socket) => (data: Buffer) => {
        if (!this.blackhole) to.write(data);
      };
      client.on('data', forward(upstream));
      upstream.on('data', forward(client));
      for (const s of pair) {
        s.on('error', () => undefined);
        s.on('close', () => {
          client.destroy();
          upstream.destroy();
          this.pairs.delete(pair);
        });
      }
    });
  }

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as { port: number }).port;
  }

  cutAll(): void {
    for (const [client, upstream] of this.pairs) {
      client.destroy();
      upstream.destroy();
    }
  }

  async stop(): Promise<void> {
    this.cutAll();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function eventually(check: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await sleep(25);
  }
}

describe('PgListener', () => {
  const cleanup: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    for (const fn of cleanup.splice(0).reverse()) await fn();
  });

  async function setUp(heartbeatMs = 15_000) {
    const url = new URL(process.env.DATABASE_URL!);
    const proxy = new FlakyProxy({ host: url.hostname, port: Number(url.port || 5432) });
    await proxy.start();
    cleanup.push(() => proxy.stop());
    const viaProxy = new URL(url);
    viaProxy.hostname = '127.0.0.1';
    viaProxy.port = String(proxy.port);
    const received: string[] = [];
    let reconnected = 0;
    const lines: string[] = [];
    const logger = { warn: (m: { msg: string }) => lines.push(m.msg), log: (m: { msg: string }) => lines.push(m.msg) } as unknown as Logger;
    const listener = new PgListener({
      client: { connectionString: viaProxy.toString(), query_timeout: 500, connectionTimeoutMillis: 500 },
      onNotification: (_channel, payload) => received.push(payload),
      onReconnected: () => reconnected++,
      outage: new OutageLog(logger, 'test LISTEN connection'),
      heartbeatMs,
      minDelayMs: 20,
      maxDelayMs: 200,
    });
    const channel = `pg_listener_spec_${Math.random().toString(36).slice(2)}`;
    listener.listen(channel);
    listener.start();
    cleanup.push(() => listener.stop());
    const notifier = new Client({ connectionString: process.env.DATABASE_URL });
    await notifier.connect();
    cleanup.push(() => notifier.end());
    /** Notifies until the listener hears it: it may still be (re)connecting. */
    const heard = async (payload: string) =>
      eventually(async () => {
        await notifier.query('SELECT pg_notify($1, $2)', [channel, payload]);
        await sleep(50);
        return received.includes(payload);
      });
    return { proxy, received, lines, heard, reconnects: () => reconnected };
  }

  describe('when its connection is cut (a proxy idle timeout, a failover)', () => {
    it('reconnects, LISTENs again, reports it once each way, and tells that notifications were missed', async () => {
      const t = await setUp();
      await t.heard('before');
      expect(t.reconnects()).toBe(0);
      for (let i = 0; i < 3; i++) {
        t.proxy.cutAll();
        await eventually(() => t.reconnects() === i + 1);
        await t.heard(`after-${i}`);
      }
      expect(t.lines).toEqual(Array.from({ length: 3 }, () => ['test LISTEN connection lost; retrying', 'test LISTEN connection back']).flat());
    });

    it('keeps trying with capped back-off while the server cannot be reached, logging one line', async () => {
      const t = await setUp();
      await t.heard('before');
      t.proxy.blackhole = true;
      t.proxy.cutAll();
      await sleep(1_000);
      expect(t.lines).toEqual(['test LISTEN connection lost; retrying']);
      t.proxy.blackhole = false;
      await eventually(() => t.reconnects() === 1);
      await t.heard('after');
      expect(t.lines).toEqual(['test LISTEN connection lost; retrying', 'test LISTEN connection back']);
    });
  });

  describe('when its connection silently stops answering (half-open)', () => {
    it('notices through the heartbeat and replaces it', async () => {
      const t = await setUp(100);
      await t.heard('before');
      t.proxy.blackhole = true;
      await eventually(() => t.lines.length === 1);
      t.proxy.blackhole = false;
      t.proxy.cutAll();
      await eventually(() => t.reconnects() === 1);
      await t.heard('after');
    });
  });
});
