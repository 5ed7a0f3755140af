import type { RequestHandler } from 'express';
import { inTransaction } from '../../../db/transaction.ts';
import type { Knex } from '../../../db.ts';
import { ConflictError, NotFoundError } from '../../../errors.ts';
import { applyCursor, toPage } from '../../../http/pagination.ts';
import { parse } from '../../../http/validate.ts';
import type { SyncJobs } from '../queue/sync_jobs.ts';
import { retryFailure, type FailureRow } from '../services/sync_failures.ts';
import { JobIdParams, JobsQuery } from './admin_schemas.ts';

export interface JobsControllerDeps {
  db: Knex;
  jobs: SyncJobs;
}

function present(row: FailureRow) {
  return {
    id: row.id,
    property_id: row.property_id,
    kind: row.kind,
    reservation_id: row.kind === 'reservation' ? row.entity_id : null,
    beds24_room_id: row.kind === 'calendar' ? Number(row.entity_id) : null,
    job_kind: row.kind === 'job' ? row.entity_id : null,
    state: row.state,
    attempts: row.attempts,
    last_error: { code: row.error_code, message: row.error_message },
    failed_at: row.failed_at,
    updated_at: row.updated_at,
  };
}

export function createJobsController({ db, jobs }: JobsControllerDeps) {
  const listJobsHandler: RequestHandler = async (req, res) => {
    const query = parse(JobsQuery, req.query, 'query');
    const builder = db('beds24_sync_failures').select('*').where({ state: query.state });
    if (query.property_id) builder.where({ property_id: query.property_id });
    const rows: FailureRow[] = await applyCursor(builder, 'beds24_sync_failures', query.limit, query.cursor, 'failed_at');
    res.json(toPage(rows, query.limit, present, 'failed_at'));
  };

  /** Puts the failed thing back in the outbox and queues its property's job. */
  const retryJobHandler: RequestHandler = async (req, res) => {
    const { id } = parse(JobIdParams, req.params, 'path');
    const row = await inTransaction(db, async (trx) => {
      const failure: FailureRow | undefined = await trx('beds24_sync_failures').where({ id }).forUpdate().first();
      if (!failure) throw new NotFoundError('failed job', id);
      if (failure.state !== 'failed') throw new ConflictError(`job ${id} is ${failure.state}, not failed`);
      return retryFailure(trx, jobs, failure);
    });
    res.status(202).json(present(row));
  };

  return { listJobsHandler, retryJobHandler };
}
