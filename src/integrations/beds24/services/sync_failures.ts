import type { Db } from '../../../db.ts';
import { JOB_KINDS, type JobKind } from '../queue/queue_config.ts';
import type { SyncJobs } from '../queue/sync_jobs.ts';
import { markRetrying, type FailureRow } from '../store/failures_store.ts';

/** Puts a failed thing back in the outbox (or re-sends its job) and marks it as being retried. */
export async function retryFailure(db: Db, jobs: SyncJobs, failure: FailureRow): Promise<FailureRow> {
  if (failure.kind === 'reservation') await jobs.queueReservationSync(db, failure.property_id, [failure.entity_id], 'update');
  else if (failure.kind === 'calendar') await jobs.queueAvailabilitySync(db, failure.property_id);
  else if ((JOB_KINDS as readonly string[]).includes(failure.entity_id)) await jobs.kick(db, failure.entity_id as JobKind, failure.property_id);
  return markRetrying(db, failure.id);
}
