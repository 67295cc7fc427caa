import autocannon from 'autocannon';

export interface HttpLoad {
  url: string;
  connections: number;
  seconds: number;
  method?: 'GET' | 'POST';
  path: string;
  /** Draws the path per request (e.g. a random short code); `path` is the first one. */
  pathOf?: () => string;
  headers?: () => Record<string, string>;
  body?: () => unknown;
  /** Status counted as success; anything else is reported as an error. */
  expectStatus: number;
}

export interface HttpResult {
  perSecond: number;
  /** How long the load ran. */
  seconds: number;
  ok: number;
  failed: number;
  latencyP50: number;
  latencyP99: number;
  latencyMean: number;
  statusCodes: Record<string, number>;
}

/** autocannon's programmatic API; headers and body are drawn per request. */
export async function runHttp(load: HttpLoad): Promise<HttpResult> {
  const result = await autocannon({
    url: load.url,
    connections: load.connections,
    duration: load.seconds,
    timeout: 30,
    requests: [
      {
        method: load.method ?? 'GET',
        path: load.path,
        setupRequest: (req) => {
          const headers: Record<string, string> = { ...(load.headers?.() ?? {}) };
          if (load.body) headers['content-type'] = 'application/json';
          return {
            ...req,
            headers,
            ...(load.pathOf ? { path: load.pathOf() } : {}),
            ...(load.body ? { body: JSON.stringify(load.body()) } : {}),
          };
        },
      },
    ],
  });
  const statusCodes = Object.fromEntries(Object.entries(result.statusCodeStats ?? {}).map(([s, v]) => [s, v.count]));
  const ok = statusCodes[String(load.expectStatus)] ?? 0;
  const total = Object.values(statusCodes).reduce((a, b) => a + b, 0);
  return {
    perSecond: ok / result.duration,
    seconds: result.duration,
    ok,
    failed: total - ok + result.errors + result.timeouts,
    latencyP50: result.latency.p50,
    latencyP99: result.latency.p99,
    latencyMean: result.latency.mean,
    statusCodes,
  };
}
