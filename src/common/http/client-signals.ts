import type { Request } from 'express';
import { isIP } from 'node:net';

export interface ClientSignals {
  /** The socket address, or the X-Forwarded-For client when TRUST_PROXY names the proxy (Express `req.ip`). */
  ip: string | null;
  /** X-Device-Id as the dashboard sends it, when it is a sane opaque id. */
  deviceId: string | null;
}

const DEVICE_ID = /^[A-Za-z0-9._:-]{1,255}$/;

export function clientSignals(req: Request): ClientSignals {
  const header = req.headers['x-device-id'];
  const deviceId = typeof header === 'string' && DEVICE_ID.test(header) ? header : null;
  // With TRUST_PROXY, req.ip is whatever X-Forwarded-For says: only an address is kept.
  const ip = [req.ip, req.socket.remoteAddress].find((a) => a !== undefined && isIP(a) !== 0) ?? null;
  return { ip, deviceId };
}
