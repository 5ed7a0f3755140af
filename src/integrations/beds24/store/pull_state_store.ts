import type { Db } from '../../../db.ts';
import type { PullStateTable } from './tables.ts';

export type PullState = Pick<
  PullStateTable,
  | 'cursor'
  | 'last_pull_at'
  | 'last_full_import_at'
  | 'pull_requested_at'
  | 'full_import_requested_at'
  | 'inventory_pull_at'
>;

const COLUMNS = [
  'cursor',
  'last_pull_at',
  'last_full_import_at',
  'pull_requested_at',
  'full_import_requested_at',
  'inventory_pull_at',
] as const;

export function loadPullState(db: Db, propertyId: string): Promise<PullState | undefined> {
  return db('beds24_pull_state').where({ property_id: propertyId }).first(COLUMNS);
}

/** Asks for a full import of the property (current and future bookings), in the caller's transaction. */
export async function requestFullImport(db: Db, propertyId: string, now: Date): Promise<void> {
  await db('beds24_pull_state')
    .insert({ property_id: propertyId, full_import_requested_at: now, next_pull_at: now, updated_at: now })
    .onConflict('property_id')
    .merge(['full_import_requested_at', 'updated_at']);
}

/** Asks for an incremental pull of the property. */
export async function requestPull(db: Db, propertyId: string, now: Date): Promise<void> {
  await db('beds24_pull_state')
    .insert({ property_id: propertyId, pull_requested_at: now, next_pull_at: now, updated_at: now })
    .onConflict('property_id')
    .merge(['pull_requested_at', 'updated_at']);
}

/**
 * An inventory webhook's pull: asked for unless one was asked for less than `spacingSeconds` ago. Answers
 * whether it was asked for now; a conditional update, so one process wins a burst of deliveries.
 */
export async function requestInventoryPull(
  db: Db,
  propertyId: string,
  now: Date,
  spacingSeconds: number,
): Promise<boolean> {
  const threshold = new Date(now.getTime() - spacingSeconds * 1000);
  const { rows }: { rows: unknown[] } = await db.raw(
    `insert into beds24_pull_state as s (property_id, pull_requested_at, inventory_pull_at, next_pull_at, updated_at)
     values (?, ?, ?, ?, ?)
     on conflict (property_id) do update
       set pull_requested_at = excluded.pull_requested_at, inventory_pull_at = excluded.inventory_pull_at,
           updated_at = excluded.updated_at
       where s.inventory_pull_at is null or s.inventory_pull_at <= ?
     returning s.property_id`,
    [propertyId, now, now, now, now, threshold],
  );
  return rows.length > 0;
}

/** Records a pull whose every booking was applied: the cursor moves to its start (never back). */
export async function recordPull(
  db: Db,
  propertyId: string,
  pull: { startedAt: Date; full: boolean },
  now: Date,
): Promise<void> {
  await db('beds24_pull_state')
    .where({ property_id: propertyId })
    .update({
      cursor: db.raw('greatest(cursor, ?::timestamptz)', [pull.startedAt]),
      last_pull_at: now,
      ...(pull.full
        ? { last_full_import_at: db.raw('greatest(last_full_import_at, ?::timestamptz)', [pull.startedAt]) }
        : {}),
      updated_at: now,
    });
}

/**
 * The scheduler's tick, one statement for every property: claims the connected properties (pulls on)
 * whose interval pull is due, asks for their pull and moves their next one an interval on (skipped when
 * `intervalSeconds` is null); and lists the properties whose webhook deliveries have waited
 * `inboxGraceSeconds` unprocessed, or whose deferred ones are due. A claim is a conditional update, so
 * with several processes one claims each property.
 */
export async function claimDueImports(
  db: Db,
  now: Date,
  { intervalSeconds, inboxGraceSeconds }: { intervalSeconds: number | null; inboxGraceSeconds: number },
): Promise<Array<{ property_id: string; pull: boolean }>> {
  const graceEnd = new Date(now.getTime() - inboxGraceSeconds * 1000);
  const enabled = `select property_id from beds24_config
    where refresh_token is not null and sync_enabled and pull_sync_enabled`;
  const waiting = `select distinct i.property_id
    from beds24_webhook_inbox i join enabled e on e.property_id = i.property_id
    where i.processed_at is null
      and (case when i.not_before is null then i.received_at <= ? else i.not_before <= ? end)`;
  if (intervalSeconds === null) {
    const { rows }: { rows: Array<{ property_id: string; pull: boolean }> } = await db.raw(
      `with enabled as (${enabled}), waiting as (${waiting}) select property_id, false as pull from waiting`,
      [graceEnd, now],
    );
    return rows;
  }
  const next = new Date(now.getTime() + intervalSeconds * 1000);
  const { rows }: { rows: Array<{ property_id: string; pull: boolean }> } = await db.raw(
    `with enabled as (${enabled}),
     missing as (
       insert into beds24_pull_state (property_id, pull_requested_at, next_pull_at, updated_at)
       select e.property_id, ?, ?, ? from enabled e
       where not exists (select 1 from beds24_pull_state s where s.property_id = e.property_id)
       on conflict (property_id) do nothing
       returning property_id
     ), claimed as (
       update beds24_pull_state s set pull_requested_at = ?, next_pull_at = ?, updated_at = ?
       from enabled e
       where e.property_id = s.property_id and (s.next_pull_at is null or s.next_pull_at <= ?)
       returning s.property_id
     ), waiting as (${waiting})
     select property_id, true as pull from claimed
     union select property_id, true from missing
     union select property_id, false from waiting
       where property_id not in (select property_id from claimed union select property_id from missing)`,
    [now, next, now, now, next, now, now, graceEnd, now],
  );
  return rows;
}

/** Per property with pulls on, when its last successful pull ended (null: never). */
export function lastPullPerProperty(db: Db): Promise<Array<{ property_id: string; last_pull_at: Date | null }>> {
  return db('beds24_config as c')
    .leftJoin('beds24_pull_state as s', 's.property_id', 'c.property_id')
    .whereNotNull('c.refresh_token')
    .where({ 'c.sync_enabled': true, 'c.pull_sync_enabled': true })
    .select('c.property_id', 's.last_pull_at');
}

/** The last successful pull of one property, or the latest of all. */
export async function lastPullAt(db: Db, propertyId?: string): Promise<Date | null> {
  const { rows }: { rows: Array<{ last: Date | null }> } = await db.raw(
    `select max(last_pull_at) as last from beds24_pull_state where ?::uuid is null or property_id = ?::uuid`,
    [propertyId ?? null, propertyId ?? null],
  );
  return rows[0]?.last ?? null;
}
