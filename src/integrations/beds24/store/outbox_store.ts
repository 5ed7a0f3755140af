import type { Db } from '../../../db.ts';
import type { SyncKind } from '../queue/job_kinds.ts';
import type { PendingChangeTable } from './tables.ts';

export interface Change {
  kind: SyncKind;
  entityId: string;
}

/** An outbox row as a push reads it: what to bring up to date, and the version it saw. */
export type PendingChange = Pick<PendingChangeTable, 'kind' | 'entity_id' | 'version'>;

/**
 * Records what changed, in the caller's transaction: that row is what guarantees a committed edit is pushed
 * and a rolled-back one never is. A change already waiting gets a new version, so a push running meanwhile
 * does not clear it. Rows are written in key order, the order every other writer uses too, so writers
 * cannot deadlock.
 */
export async function recordChanges(db: Db, propertyId: string, changes: Change[]): Promise<void> {
  if (changes.length === 0) return;
  await db.raw(
    `insert into beds24_pending_changes (property_id, kind, entity_id)
     select ?, c.kind, c.entity_id from unnest(?::text[], ?::text[]) as c(kind, entity_id)
     order by c.kind, c.entity_id
     on conflict (property_id, kind, entity_id)
     do update set version = nextval('beds24_change_version_seq'), last_queued_at = now(),
       requeued_at = coalesce(beds24_pending_changes.requeued_at,
         case when beds24_pending_changes.taken_at is not null then now() end),
       edits = case when beds24_pending_changes.taken_at is not null and beds24_pending_changes.requeued_at is null
         then 1 else beds24_pending_changes.edits + 1 end`,
    [propertyId, changes.map((c) => c.kind), changes.map((c) => c.entityId)],
  );
}

/**
 * The property's changes of these kinds, oldest first, taken by the push that is about to send them: an
 * edit of one of them from now on is one that push does not carry (see `clearChanges`).
 */
export async function takePendingChanges(
  db: Db,
  propertyId: string,
  kinds: readonly SyncKind[],
): Promise<PendingChange[]> {
  const { rows }: { rows: Array<PendingChange & { first_queued_at: Date }> } = await db.raw(
    // Locked in key order, as edits lock them: two writers taking rows in other orders can deadlock.
    `with taken as (
       select kind, entity_id from beds24_pending_changes where property_id = ? and kind = any(?)
       order by kind, entity_id for update
     )
     update beds24_pending_changes p set taken_at = now(), requeued_at = null
     from taken where p.property_id = ? and p.kind = taken.kind and p.entity_id = taken.entity_id
     returning p.kind, p.entity_id, p.version, p.first_queued_at`,
    [propertyId, [...kinds], propertyId],
  );
  return rows
    .sort((a, b) => a.first_queued_at.getTime() - b.first_queued_at.getTime())
    .map(({ kind, entity_id, version }) => ({ kind, entity_id, version }));
}

/**
 * Clears what was pushed, unless it changed again meanwhile (its version moved on): such a row stays, and
 * waits from its first edit after the push took it, the one the push did not carry. One statement, in key
 * order; callers run it outside the transaction that records the results: holding outbox rows while
 * waiting for other rows is how edits and the worker deadlock. A crash before it only means one harmless
 * push again.
 */
export async function clearChanges(db: Db, propertyId: string, done: PendingChange[]): Promise<void> {
  if (done.length === 0) return;
  const sorted = [...done].sort((a, b) => a.kind.localeCompare(b.kind) || a.entity_id.localeCompare(b.entity_id));
  const bindings = [
    sorted.map((c) => c.kind),
    sorted.map((c) => c.entity_id),
    sorted.map((c) => c.version),
    propertyId,
  ];
  await db.raw(
    `with done as (select * from unnest(?::text[], ?::text[], ?::bigint[]) as d(kind, entity_id, version)),
     cleared as (
       delete from beds24_pending_changes p using done
       where p.property_id = ? and p.kind = done.kind and p.entity_id = done.entity_id and p.version = done.version
     )
     update beds24_pending_changes p
     set first_queued_at = coalesce(p.requeued_at, p.first_queued_at), taken_at = null, requeued_at = null
     from done
     where p.property_id = ? and p.kind = done.kind and p.entity_id = done.entity_id and p.version <> done.version`,
    [...bindings, propertyId],
  );
}

/**
 * Whether a change of these kinds recorded before `before` is still waiting: with `before` the start of the
 * push that runs, that push is still carrying it (or will leave it for the next one).
 */
export async function hasChangeQueuedBefore(
  db: Db,
  propertyId: string,
  kinds: readonly SyncKind[],
  before: Date,
): Promise<boolean> {
  if (kinds.length === 0) return false;
  const row = await db('beds24_pending_changes')
    .where({ property_id: propertyId })
    .whereIn('kind', kinds)
    .where('first_queued_at', '<', before)
    .first('kind');
  return row !== undefined;
}

/**
 * Whether a change of these kinds was recorded at or after `since` (the start of the push that runs), or
 * edited again after that push took it: one that push does not carry.
 */
export async function hasChangeQueuedSince(
  db: Db,
  propertyId: string,
  kinds: readonly SyncKind[],
  since: Date,
): Promise<boolean> {
  if (kinds.length === 0) return false;
  const row = await db('beds24_pending_changes')
    .where({ property_id: propertyId })
    .whereIn('kind', kinds)
    .whereRaw('(first_queued_at >= ? or requeued_at is not null)', [since])
    .first('kind');
  return row !== undefined;
}

/**
 * The changes of these kinds still waiting, as seen from `since`: how many were recorded before it, and how
 * many edits recorded them, at least (the rows one transaction writes share their `first_queued_at`; a row
 * counts the edits it holds).
 */
export async function waitingChangesSince(
  db: Db,
  propertyId: string,
  kinds: readonly SyncKind[],
  since: Date,
): Promise<{ before: number; edits: number }> {
  const row: { before: number; edits: number } | undefined = await db('beds24_pending_changes')
    .where({ property_id: propertyId })
    .whereIn('kind', kinds)
    .first(
      db.raw('(count(*) filter (where first_queued_at < ?))::int as before', [since]),
      // One transaction's rows share their first_queued_at; one row may hold several edits.
      db.raw('greatest(count(distinct first_queued_at), max(edits), 0)::int as edits'),
    );
  return row ?? { before: 0, edits: 0 };
}

/** The kinds of change the property has waiting. */
export async function pendingKinds(db: Db, propertyId: string): Promise<SyncKind[]> {
  const rows: Array<{ kind: SyncKind }> = await db('beds24_pending_changes')
    .where({ property_id: propertyId })
    .distinct('kind');
  return rows.map((row) => row.kind);
}

export async function hasPendingChanges(db: Db, propertyId: string, kinds: readonly SyncKind[]): Promise<boolean> {
  const row = await db('beds24_pending_changes')
    .where({ property_id: propertyId })
    .whereIn('kind', kinds)
    .first('kind');
  return row !== undefined;
}

export async function countPendingChanges(db: Db, propertyId: string): Promise<number> {
  const row: { n: number } | undefined = await db('beds24_pending_changes')
    .where({ property_id: propertyId })
    .first(db.raw('count(*)::int as n'));
  return row?.n ?? 0;
}

/**
 * How long the oldest change of one kind to these entities has waited, in seconds (null when none waits).
 * The rows are stamped by the database's clock, so their age is read against the same clock.
 */
export async function oldestChangeAgeOf(
  db: Db,
  propertyId: string,
  kind: SyncKind,
  entityIds: string[],
): Promise<number | null> {
  if (entityIds.length === 0) return null;
  const { rows }: { rows: Array<{ age: number | null }> } = await db.raw(
    `select extract(epoch from now() - min(first_queued_at))::float8 as age from beds24_pending_changes
     where property_id = ? and kind = ? and entity_id = any(?::text[])`,
    [propertyId, kind, entityIds],
  );
  return rows[0]?.age ?? null;
}

/**
 * The (property, kind) pairs with changes that may be pushed: pushes on, connected, and no job of the
 * property refused for its credentials (those wait until the connection changes).
 */
export function pushableChanges(db: Db): Promise<Array<{ property_id: string; kind: SyncKind }>> {
  return db('beds24_pending_changes as p')
    .join('beds24_config as c', 'c.property_id', 'p.property_id')
    .distinct('p.property_id', 'p.kind')
    .where({ 'c.sync_enabled': true, 'c.push_sync_enabled': true })
    .whereNotNull('c.refresh_token')
    .whereNotExists(
      db('beds24_sync_failures as f')
        .whereRaw('f.property_id = p.property_id')
        .where({ 'f.kind': 'job', 'f.state': 'failed', 'f.error_code': 'beds24_auth' }),
    );
}

export interface OutboxByKind {
  kind: SyncKind;
  count: number;
  /** Seconds the oldest change of the kind has waited, by the database's clock that stamped it. */
  oldestAge: number;
}

/** Per kind: how many changes wait and for how long, for one property or all. */
export async function outboxByKind(db: Db, propertyId?: string): Promise<OutboxByKind[]> {
  const { rows }: { rows: OutboxByKind[] } = await db.raw(
    `select kind, count(*)::int as count, extract(epoch from now() - min(first_queued_at))::float8 as "oldestAge"
     from beds24_pending_changes where ?::uuid is null or property_id = ?::uuid group by kind`,
    [propertyId ?? null, propertyId ?? null],
  );
  return rows;
}

/** Per configured property and kind, how many changes wait. */
export function pendingPerPropertyAndKind(db: Db): Promise<Array<{ property_id: string; kind: SyncKind; n: number }>> {
  return db('beds24_pending_changes')
    .groupBy('property_id', 'kind')
    .select('property_id', 'kind', db.raw('count(*)::int as n'));
}

/**
 * Per configured property, how long its oldest change has waited (null when none). The rows are stamped
 * with the database's clock, so their age is read against the same clock.
 */
export function oldestAgePerProperty(db: Db): Promise<Array<{ property_id: string; age: number | null }>> {
  return db('beds24_config as c')
    .leftJoin('beds24_pending_changes as p', 'p.property_id', 'c.property_id')
    .groupBy('c.property_id')
    .select('c.property_id', db.raw('extract(epoch from now() - min(p.first_queued_at))::float8 as age'));
}
