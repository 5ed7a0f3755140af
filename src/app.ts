import express, { type Express } from 'express';
import { pinoHttp } from 'pino-http';
import type { Knex } from './db.ts';
import { requireBearer } from './http/auth.ts';
import { BODY_LIMIT, errorHandler, notFoundHandler } from './http/error_handler.ts';
import type { Logger } from './logger.ts';
import { createPmsRouter } from './pms/pms_router.ts';

export interface AppOptions {
  db: Knex;
  logger: Logger;
  apiToken: string;
  adminToken: string;
}

export function createApp({ db, logger, apiToken, adminToken }: AppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(pinoHttp({ logger, autoLogging: { ignore: (req) => req.url === '/healthz' } }));

  app.get('/healthz', async (_req, res) => {
    try {
      await db.raw('select 1').timeout(2000);
      res.json({ status: 'ok' });
    } catch {
      res.status(503).json({ status: 'unavailable' });
    }
  });

  // Auth runs before the body is read, so an anonymous caller cannot make us parse a megabyte.
  app.use('/api', requireBearer([apiToken, adminToken]));
  app.use('/api/admin', requireBearer([adminToken]));
  app.use(express.json({ limit: BODY_LIMIT }));
  app.use('/api', createPmsRouter({ db }));

  app.use(notFoundHandler());
  app.use(errorHandler(logger));
  return app;
}
