import { io, Socket } from 'socket.io-client';

export interface SocketEpoch {
  connectedAt: number;
  resyncAt?: number;
  disconnectedAt?: number;
}

export interface ReceivedUpdate {
  epoch: number;
  at: number;
  transactionId: string;
  seq?: number;
  payload: Record<string, unknown>;
}

/**
 * A reconnecting socket.io client of one user that keeps its whole timeline: each connection
 * (epoch), the `resync` it got, and every `points-updated` with the time it arrived.
 */
export class SocketRecorder {
  readonly epochs: SocketEpoch[] = [];
  readonly updates: ReceivedUpdate[] = [];
  /** Every `resync` received, also a second one on the same connection. */
  readonly resyncs: number[] = [];
  connectErrors = 0;
  private readonly socket: Socket;

  private constructor(
    readonly name: string,
    readonly userId: string,
    url: string,
    token: string,
  ) {
    this.socket = io(url, {
      auth: { token },
      transports: ['websocket'],
      reconnection: true,
      reconnectionDelay: 100,
      reconnectionDelayMax: 1_000,
      randomizationFactor: 0,
      forceNew: true,
    });
    this.socket.on('connect', () => this.epochs.push({ connectedAt: Date.now() }));
    this.socket.on('disconnect', () => {
      const epoch = this.epochs.at(-1);
      if (epoch && epoch.disconnectedAt === undefined) epoch.disconnectedAt = Date.now();
    });
    this.socket.on('connect_error', () => this.connectErrors++);
    this.socket.on('resync', () => {
      this.resyncs.push(Date.now());
      const epoch = this.epochs.at(-1);
      if (epoch && epoch.resyncAt === undefined && epoch.disconnectedAt === undefined) epoch.resyncAt = Date.now();
    });
    this.socket.on('points-updated', (payload: Record<string, unknown>) => {
      this.updates.push({
        epoch: this.epochs.length - 1,
        at: Date.now(),
        transactionId: String(payload?.transactionId),
        ...(typeof payload?.seq === 'number' ? { seq: payload.seq } : {}),
        payload,
      });
    });
  }

  /** Resolves once the first connection is up (a refused token rejects). */
  static async open(name: string, userId: string, url: string, token: string, ms = 10_000): Promise<SocketRecorder> {
    const recorder = new SocketRecorder(name, userId, url, token);
    await recorder.waitConnected(ms);
    return recorder;
  }

  get connected(): boolean {
    return this.socket.connected;
  }

  /** Drops the transport as a network blip would; the client reconnects by itself. */
  dropConnection(): void {
    this.socket.io.engine?.close();
  }

  async waitConnected(ms: number): Promise<boolean> {
    const end = Date.now() + ms;
    while (!this.socket.connected) {
      if (Date.now() > end) return false;
      await new Promise((r) => setTimeout(r, 25));
    }
    return true;
  }

  /** Waits until the current connection got its `resync`; false when it did not within `ms`. */
  async waitResynced(ms: number): Promise<boolean> {
    const end = Date.now() + ms;
    for (;;) {
      const epoch = this.epochs.at(-1);
      if (this.socket.connected && epoch?.resyncAt !== undefined) return true;
      if (Date.now() > end) return false;
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  close(): void {
    this.socket.removeAllListeners();
    this.socket.disconnect();
  }
}
