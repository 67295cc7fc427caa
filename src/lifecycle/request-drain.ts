import type { Server } from 'node:http';

export interface RequestDrain {
  /** Stops accepting, lets in-flight requests finish for up to `graceMs`, then closes every connection. */
  drain(graceMs: number): Promise<void>;
}

/**
 * Counts the requests in flight on `server`. While draining, each response asks its client to close
 * the connection, so keep-alive clients move to another instance instead of holding this one open.
 */
export function trackRequests(server: Server): RequestDrain {
  let inFlight = 0;
  let draining = false;
  let idle: (() => void) | undefined;
  server.on('request', (_request, response) => {
    inFlight++;
    if (draining && !response.headersSent) response.setHeader('Connection', 'close');
    response.once('close', () => {
      inFlight--;
      if (inFlight === 0) idle?.();
    });
  });
  return {
    async drain(graceMs) {
      draining = true;
      server.close();
      server.closeIdleConnections();
      if (inFlight > 0) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, graceMs);
          idle = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
      server.closeAllConnections();
    },
  };
}
