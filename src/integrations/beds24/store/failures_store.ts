import type { Db, Knex } from '../../../db.ts';
import { applyCursor } from '../../../http/pagination.ts';
import type { FailureKind, SyncFailureTable } from './tables.ts';

export type FailureRow = SyncFailureTable;
export type FailureState = SyncFailureTable['state'];

export interface FailureKey {
  propertyId: string;
  kind: FailureKind;
  /** The reservation id, the Beds24 room id of a refused calendar item, or the job kind of a job that gave up. */
  entityId: string;
}

/**
 * The visible list of what could not be pushed, with Beds24's reason. One open row per thing: a new
 * failure of the same thing updates it; a later success resolves it.
 */
export async function recordFailure(
  db: Db,
  key: FailureKey,
  error: { code: string; message: string },
  jobId?: string,
): Promise<void> {
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

/**
 * A job that died without its handler seeing the last attempt (a worker killed every time), from its
 * dead-letter copy; one the handler already reported under this job id is not listed twice.
 */
export async function recordAbandonedJob(
  db: Db,
  propertyId: string,
  jobKind: string,
  sourceId: string | null,
): Promise<void> {
  if (sourceId !== null && (await db('beds24_sync_failures').where({ job_id: sourceId }).first('id'))) return;
  await db.raw(
    `insert into beds24_sync_failures (property_id, kind, entity_id, error_code, error_message, job_id)
     values (?, 'job', ?, 'job_abandoned', ?, ?)
     on conflict (property_id, kind, entity_id) where state <> 'resolved' do nothing`,
    [propertyId, jobKind, 'the job ran out of attempts without finishing (worker stopped or timed out)', sourceId],
  );
}

export async function resolveFailures(
  db: Db,
  propertyId: string,
  kind: FailureKind,
  entityIds: string[],
): Promise<void> {
  if (entityIds.length === 0) return;
  await db('beds24_sync_failures')
    .where({ property_id: propertyId, kind })
    .whereIn('entity_id', entityIds)
    .whereNot({ state: 'resolved' })
    .update({ state: 'resolved', updated_at: db.fn.now() });
}

/** New credentials are the fix for jobs that gave up on refused ones. */
export async function resolveAuthFailures(db: Db, propertyId: string): Promise<void> {
  await db('beds24_sync_failures')
    .where({ property_id: propertyId, kind: 'job', error_code: 'beds24_auth' })
    .whereNot({ state: 'resolved' })
    .update({ state: 'resolved', updated_at: db.fn.now() });
}

/** Resolves the refused calendar items of every Beds24 room but these: nothing maps to those any more. */
export async function resolveCalendarFailuresExcept(
  db: Db,
  propertyId: string,
  beds24RoomIds: number[],
): Promise<void> {
  await db('beds24_sync_failures')
    .where({ property_id: propertyId, kind: 'calendar' })
    .whereNot({ state: 'resolved' })
    .whereNotIn('entity_id', beds24RoomIds.map(String))
    .update({ state: 'resolved', updated_at: db.fn.now() });
}

/** Beds24 room id → Beds24's message, for the property's calendar items that are not resolved. */
export async function openCalendarFailures(db: Db, propertyId: string): Promise<Map<number, string>> {
  const rows = await db('beds24_sync_failures')
    .where({ property_id: propertyId, kind: 'calendar' })
    .whereNot({ state: 'resolved' })
    .select('entity_id', 'error_message');
  return new Map(rows.map((row) => [Number(row.entity_id), row.error_message]));
}

export interface FailureListQuery {
  state: FailureState;
  propertyId?: string;
  limit: number;
  cursor?: string;
}

/** One page (and one row more, to tell whether another follows), newest failure first. */
export function listFailures(db: Db, query: FailureListQuery): Promise<FailureRow[]> {
  const builder = db('beds24_sync_failures').select('*').where({ state: query.state });
  if (query.propertyId) builder.where({ property_id: query.propertyId });
  return applyCursor<FailureRow>(builder, 'beds24_sync_failures', query.limit, query.cursor, 'failed_at');
}

export function lockFailure(trx: Knex.Transaction, id: string): Promise<FailureRow | undefined> {
  return trx('beds24_sync_failures').where({ id }).forUpdate().first();
}

export async function markRetrying(db: Db, id: string): Promise<FailureRow> {
  const [updated] = await db('beds24_sync_failures')
    .where({ id })
    .update({ state: 'retrying', updated_at: db.fn.now() })
    .returning('*');
  return updated as FailureRow;
}

/** The failed items (state `failed`), of one property or all. */
export function failedItems(db: Db, propertyId?: string): Promise<FailureRow[]> {
  const query = db('beds24_sync_failures').where({ state: 'failed' });
  if (propertyId) query.where({ property_id: propertyId });
  return query.select('*');
}

export async function countFailed(db: Db, propertyId?: string): Promise<number> {
  const query = db('beds24_sync_failures').where({ state: 'failed' });
  if (propertyId) query.where({ property_id: propertyId });
  const row: { n: number } | undefined = await query.first(db.raw('count(*)::int as n'));
  return row?.n ?? 0;
}

/** Per configured property, how many failed items it has. */
export function failedPerProperty(db: Db): Promise<Array<{ property_id: string; n: number }>> {
  return db('beds24_config as c')
    .leftJoin('beds24_sync_failures as f', (join) => {
      join.on('f.property_id', 'c.property_id').andOnVal('f.state', 'failed');
    })
    .groupBy('c.property_id')
    .select('c.property_id', db.raw('count(f.id)::int as n'));
}
