import type { Request, RequestHandler } from 'express';
import { Histogram, collectDefaultMetrics, type Registry } from 'prom-client';

const DURATION = 'http_request_duration_seconds';

/** Requests answered before any route matched (404, 401 from the auth layer, a body too large). */
export const UNMATCHED_ROUTE = 'unmatched';

/**
 * Adds the process's default metrics (CPU, memory, event loop, GC) to `registry` and answers a middleware
 * that times every request into `http_request_duration_seconds{method, route, status}`. The route is the
 * Express pattern (`/api/reservations/:id`), never the URL, so ids cannot multiply the series.
 */
export function httpMetrics(registry: Registry): RequestHandler {
  // One set per registry: a second app on the same registry shares them rather than registering twice.
  const existing = registry.getSingleMetric(DURATION);
  const duration =
    existing instanceof Histogram ? (existing as Histogram<'method' | 'route' | 'status'>) : createCollectors(registry);
  return (req, res, next) => {
    const end = duration.startTimer();
    res.once('finish', () => end({ method: req.method, route: routePattern(req), status: String(res.statusCode) }));
    next();
  };
}

function createCollectors(registry: Registry): Histogram<'method' | 'route' | 'status'> {
  collectDefaultMetrics({ register: registry });
  return new Histogram({
    name: DURATION,
    help: 'HTTP request duration by method, Express route pattern and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
}

/**
 * The matched route's full pattern. Express resets `req.baseUrl` and `req.url` as an error leaves a router,
 * so the mount path is taken from the original URL: the leading segments the route pattern does not cover
 * (every mount path of this app is literal).
 */
export function routePattern(req: Pick<Request, 'route' | 'originalUrl'>): string {
  const route: unknown = (req.route as { path?: unknown } | undefined)?.path;
  if (typeof route !== 'string') return UNMATCHED_ROUTE;
  const routeSegments = route.split('/').filter(Boolean);
  const pathSegments = new URL(req.originalUrl, 'http://localhost').pathname.split('/').filter(Boolean);
  const mount = pathSegments.slice(0, Math.max(0, pathSegments.length - routeSegments.length));
  return `/${[...mount, ...routeSegments].join('/')}`;
}
