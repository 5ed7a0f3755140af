import type { Db } from '../../../db.ts';
import { JOB_KINDS, type JobKind } from '../queue/queue_config.ts';
import type { SyncJobs } from '../queue/sync_jobs.ts';

export type FailureKind = 'reservation' | 'calendar' | 'job';

export interface FailureKey {
  propertyId: string;
  kind: FailureKind;
  /** The reservation id, the Beds24 room id of a refused calendar item, or the job kind of a job that gave up. */
  entityId: string;
}

export interface FailureRow {
  id: string;
  property_id: string;
  kind: FailureKind;
  entity_id: string;
  state: 'failed' | 'retrying' | 'resolved';
  error_code: string;
  error_message: string;
  attempts: number;
  job_id: string | null;
  failed_at: Date;
  updated_at: Date;
}

/**
 * The visible list of what could not be pushed, with Beds24's reason. One open row per thing: a new
 * failure of the same thing updates it; a later success resolves it.
 */
export async function recordFailure(db: Db, key: FailureKey, error: { code: string; message: string }, jobId?: string): Promise<void> {
  await db.raw(
    `insert into beds24_sync_failures (property_id, kind, entity_id, error_code, error_message, job_id)
     values (?, ?, ?, ?, ?, ?)
     on conflict (property_id, kind, entity_id) where state <> 'resolved'
     do update set state = 'failed', error_code = excluded.error_code, error_message = excluded.error_message,
       attempts = beds24_sync_failures.attempts + 1, job_id = coalesce(excluded.job_id, beds24_sync_failures.job_id),
       failed_at = now(), updated_at = now()`,
    [key.propertyId, key.kind, key.entityId, error.code, error.message.slice(0, 2000), jobId ?? null],
  );
}

export async function resolveFailures(db: Db, propertyId: string, kind: FailureKind, entityIds: string[]): Promise<void> {
  if (entityIds.length === 0) return;
  await db('beds24_sync_failures')
    .where({ property_id: propertyId, kind })
    .whereIn('entity_id', entityIds)
    .whereNot({ state: 'resolved' })
    .update({ state: 'resolved', updated_at: db.fn.now() });
}

/** Puts a failed thing back in the outbox (or re-sends its job) and marks it as being retried. */
export async function retryFailure(db: Db, jobs: SyncJobs, failure: FailureRow): Promise<FailureRow> {
  if (failure.kind === 'reservation') await jobs.queueReservationSync(db, failure.property_id, [failure.entity_id], 'update');
  else if (failure.kind === 'calendar') await jobs.queueAvailabilitySync(db, failure.property_id);
  else if ((JOB_KINDS as readonly string[]).includes(failure.entity_id)) await jobs.kick(db, failure.entity_id as JobKind, failure.property_id);
  const [updated] = await db('beds24_sync_failures').where({ id: failure.id }).update({ state: 'retrying', updated_at: db.fn.now() }).returning('*');
  return updated as FailureRow;
}
