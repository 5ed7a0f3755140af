import { Router } from 'express';
import type { Knex } from '../../../db.ts';
import type { Beds24Sync } from '../beds24_sync.ts';
import { createCalendarController } from './calendar_controller.ts';
import { createCallsController } from './calls_controller.ts';
import { createConfigController } from './config_controller.ts';
import { createJobsController } from './jobs_controller.ts';
import { createResyncController } from './resync_controller.ts';
import { createStatusController } from './status_controller.ts';
import { createVerifyController } from './verify_controller.ts';

export interface AdminDeps {
  db: Knex;
  sync: Beds24Sync;
}

/** The Beds24 admin routes, mounted under /api/admin/beds24 behind the admin token. */
export function createBeds24AdminRouter({ db, sync }: AdminDeps): Router {
  const config = createConfigController({ db, sync });
  const status = createStatusController({ db, sync });
  const jobs = createJobsController({ db, sync });
  const resyncs = createResyncController({ sync });
  const verify = createVerifyController({ db, sync });
  const calls = createCallsController({ db });
  const calendar = createCalendarController({ db, sync });

  return Router()
    .put('/config', config.putConfigHandler)
    .get('/config/:property_id', config.getConfigHandler)
    .post('/resync', resyncs.resyncHandler)
    .post('/pull', resyncs.pullHandler)
    .post('/verify', verify.verifyHandler)
    .get('/status', status.statusHandler)
    .get('/jobs', jobs.listJobsHandler)
    .get('/calls', calls.listCallsHandler)
    .get('/calendar', calendar.calendarHandler)
    .post('/jobs/:id/retry', jobs.retryJobHandler);
}
