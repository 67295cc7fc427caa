import { Agent, request } from 'node:http';

export interface HttpAnswer {
  /** 0 when no HTTP answer came (refused, reset, timed out): see `error`. */
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: any;
  error?: string;
}

/**
 * One HTTP call as a real client makes it, never throwing: a transport failure is status 0.
 * Without an agent every call opens its own connection.
 */
export function httpCall(
  base: string,
  method: string,
  path: string,
  options: { headers?: Record<string, string>; body?: string; agent?: Agent; timeoutMs?: number } = {},
): Promise<HttpAnswer> {
  return new Promise((resolve) => {
    const url = new URL(path, base);
    const req = request(
      url,
      {
        method,
        agent: options.agent ?? false,
        headers: {
          ...(options.body !== undefined ? { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(options.body) } : {}),
          ...options.headers,
        },
        timeout: options.timeoutMs ?? 30_000,
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d) => (text += d));
        res.on('end', () => {
          let body: unknown = text;
          try {
            body = text ? JSON.parse(text) : null;
          } catch {
            // not JSON: keep the text
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body });
        });
        res.on('error', (e) => resolve({ status: 0, headers: {}, body: null, error: String(e) }));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', (e: NodeJS.ErrnoException) => resolve({ status: 0, headers: {}, body: null, error: e.code ?? e.message }));
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}
