import { fileURLToPath } from 'node:url';
import express, { type Express, type Request } from 'express';
import { pinoHttp } from 'pino-http';
import type { Knex } from './db.ts';
import { requireBearer } from './http/auth.ts';
import { BODY_LIMIT, errorHandler, notFoundHandler } from './http/error_handler.ts';
import { httpMetrics, routePattern } from './http/http_metrics.ts';
import { withoutTokenParam, type Logger } from './logger.ts';
import { createBeds24AdminRouter } from './integrations/beds24/admin/admin_router.ts';
import type { Beds24Sync } from './integrations/beds24/beds24_sync.ts';
import { createPmsRouter } from './pms/pms_router.ts';

const DASHBOARD_PAGE = fileURLToPath(new URL('./integrations/beds24/admin/dashboard/dashboard.html', import.meta.url));

/**
 * What the dashboard reads every few seconds and Prometheus scrapes: a successful read there is logged at
 * debug, so polling does not bury the log. Failures of those routes are logged like any other.
 */
const POLLED_ROUTES = new Set([
  '/api/properties',
  '/api/admin/beds24/config/:property_id',
  '/api/admin/beds24/status',
  '/api/admin/beds24/jobs',
  '/api/admin/beds24/calls',
  '/api/admin/beds24/calendar',
  '/metrics',
]);

export interface AppOptions {
  db: Knex;
  logger: Logger;
  apiToken: string;
  adminToken: string;
  sync: Beds24Sync;
}

export function createApp({ db, logger, apiToken, adminToken, sync }: AppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(httpMetrics(sync.metricsRegistry));
  app.use(
    pinoHttp({
      logger,
      serializers: {
        req: (req: { url?: string }) => ({ ...req, url: withoutTokenParam(req.url) }),
      },
      autoLogging: { ignore: (req) => req.url === '/healthz' },
      customLogLevel: (req, res, error) => {
        if (error || res.statusCode >= 500) return 'error';
        const pattern = routePattern(req as Request);
        // The dashboard reads the overbookings' list while there are any.
        const unassignedList = pattern === '/api/reservations' && /[?&]unassigned=true(&|$)/.test(req.url);
        const polled = req.method === 'GET' && (POLLED_ROUTES.has(pattern) || unassignedList);
        return polled && res.statusCode < 400 ? 'debug' : 'info';
      },
    }),
  );

  app.get('/healthz', async (_req, res) => {
    try {
      await db.raw('select 1').timeout(2000);
      res.json({ status: 'ok' });
    } catch {
      res.status(503).json({ status: 'unavailable' });
    }
  });

  // The page holds no data: it asks for the admin token and reads everything through the admin API.
  app.get('/admin/beds24', (_req, res) => {
    res.sendFile(DASHBOARD_PAGE);
  });

  app.get('/metrics', requireBearer([adminToken]), async (_req, res) => {
    res.type(sync.metricsRegistry.contentType).send(await sync.metricsRegistry.metrics());
  });

  // Beds24's webhooks carry their own token (checked before the body is read), not the API's bearer token.
  app.use('/webhooks/beds24', sync.webhooks);

  // Auth runs before the body is read, so an anonymous caller cannot make us parse a megabyte.
  app.use('/api', requireBearer([apiToken, adminToken]));
  app.use('/api/admin', requireBearer([adminToken]));
  app.use(express.json({ limit: BODY_LIMIT }));
  app.use('/api/admin/beds24', createBeds24AdminRouter({ db, sync }));
  app.use('/api', createPmsRouter({ db, hooks: sync.hooks }));

  app.use(notFoundHandler());
  app.use(errorHandler(logger));
  return app;
}
