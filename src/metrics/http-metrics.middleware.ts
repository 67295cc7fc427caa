import type { NextFunction, Request, Response } from 'express';
import { httpDuration, httpRequests } from './metrics';

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/** The metrics endpoint's own route: scrapes are not traffic (Prometheus times them as `scrape_duration_seconds`). */
const METRICS_ROUTE = '/metrics';

/**
 * Counts each response by the route template Express matched (`/r/:code`, never the raw
 * path). A request that matched no route — a 404, or one refused by a body parser before
 * routing — is labelled `unmatched`, so random paths add no series.
 */
export function httpMetrics() {
  return (req: Request, res: Response, next: NextFunction): void => {
    const start = process.hrtime.bigint();
    res.once('finish', () => {
      const template: unknown = req.route?.path;
      const route = typeof template === 'string' ? req.baseUrl + template : 'unmatched';
      if (route === METRICS_ROUTE) return;
      const labels = {
        method: METHODS.has(req.method) ? req.method : 'OTHER',
        route,
        status: String(res.statusCode),
      };
      httpRequests.inc(labels);
      httpDuration.observe(labels, Number(process.hrtime.bigint() - start) / 1e9);
    });
    next();
  };
}
