import type { Db, Knex } from '../../../db.ts';
import type { CalendarDate } from '../../../utils/dates.ts';
import type { Beds24ConfigTable } from './tables.ts';

/** The connection settings as the sync reads them (tokens stay encrypted, the access token is not read). */
export type Beds24Config = Pick<
  Beds24ConfigTable,
  | 'property_id'
  | 'beds24_property_id'
  | 'beds24_account_id'
  | 'refresh_token'
  | 'sync_enabled'
  | 'push_sync_enabled'
  | 'pull_sync_enabled'
  | 'connected_at'
  | 'last_push_at'
>;

const COLUMNS = [
  'property_id',
  'beds24_property_id',
  'beds24_account_id',
  'refresh_token',
  'sync_enabled',
  'push_sync_enabled',
  'pull_sync_enabled',
  'connected_at',
  'last_push_at',
] as const;

export function loadConfig(db: Db, propertyId: string): Promise<Beds24Config | undefined> {
  return db('beds24_config').where({ property_id: propertyId }).first(COLUMNS);
}

/** Both SQL toggles on and a refresh token stored: the only state in which anything is sent. */
export function isPushEnabled(config: Beds24Config | undefined): config is Beds24Config & { refresh_token: string } {
  return config !== undefined && config.sync_enabled && config.push_sync_enabled && config.refresh_token !== null;
}

/** `sync_enabled` and `pull_sync_enabled` on and a refresh token stored: bookings are read from Beds24. */
export function isPullEnabled(config: Beds24Config | undefined): config is Beds24Config & { refresh_token: string } {
  return config !== undefined && config.sync_enabled && config.pull_sync_enabled && config.refresh_token !== null;
}

/** The row as it is, locked until the transaction ends: concurrent connects of one property queue up here. */
export function lockConfig(trx: Knex.Transaction, propertyId: string): Promise<Beds24Config | undefined> {
  return trx('beds24_config').where({ property_id: propertyId }).forUpdate().first(COLUMNS);
}

export type ConfigWrite = Pick<Beds24ConfigTable, 'property_id' | 'beds24_property_id'> & Partial<Beds24ConfigTable>;

/** Inserts the row or updates the given columns of the existing one. */
export async function saveConfig(db: Db, row: ConfigWrite): Promise<void> {
  await db('beds24_config').insert(row).onConflict('property_id').merge();
}

export async function recordPushed(db: Db, propertyId: string, at: Date): Promise<void> {
  await db('beds24_config').where({ property_id: propertyId }).update({ last_push_at: at });
}

export type StoredTokens = Pick<Beds24ConfigTable, 'refresh_token' | 'access_token' | 'access_token_expires_at'>;

/** The encrypted tokens, locked: the process refreshing them makes the others wait, then read its result. */
export function lockTokens(trx: Knex.Transaction, propertyId: string): Promise<StoredTokens | undefined> {
  return trx('beds24_config')
    .where({ property_id: propertyId })
    .forUpdate()
    .first(['refresh_token', 'access_token', 'access_token_expires_at']);
}

export async function saveAccessToken(db: Db, propertyId: string, encrypted: string, expiresAt: Date): Promise<void> {
  await db('beds24_config')
    .where({ property_id: propertyId })
    .update({ access_token: encrypted, access_token_expires_at: expiresAt });
}

export interface ConnectionProbe {
  /** A refresh token is stored: edits are recorded, whatever the toggles say. */
  connected: boolean;
  /** Connected with `sync_enabled` or `push_sync_enabled` off: recorded, but no job is sent. */
  paused: boolean;
  /** Room id → its Beds24 room id (null when unmapped), for the rooms asked about. */
  mapping: Record<string, number | null>;
}

/** The property's connection, its push toggles and the mapping of the given rooms, in one round trip. */
export async function probeConnection(db: Db, propertyId: string, roomIds: string[] = []): Promise<ConnectionProbe> {
  const { rows }: { rows: ConnectionProbe[] } = await db.raw(
    `select c.refresh_token is not null as connected,
            c.refresh_token is not null and not (c.sync_enabled and c.push_sync_enabled) as paused,
            coalesce(
              (select json_object_agg(r.id, r.beds24_room_id) from rooms r where r.id = any(?::uuid[])),
              '{}'::json
            ) as mapping
     from beds24_config c where c.property_id = ?`,
    [roomIds, propertyId],
  );
  return rows[0] ?? { connected: false, paused: false, mapping: {} };
}

export interface TickRow {
  property_id: string;
  timezone: string;
  calendar_date: CalendarDate | null;
  nightly_run_on: CalendarDate | null;
}

/** Every property whose pushes run, with its time zone and what the tick last did for it. */
export function tickRows(db: Db): Promise<TickRow[]> {
  return db('beds24_config as c')
    .join('properties as p', 'p.id', 'c.property_id')
    .where({ 'c.sync_enabled': true, 'c.push_sync_enabled': true })
    .whereNotNull('c.refresh_token')
    .select('c.property_id', 'p.timezone', 'c.calendar_date', 'c.nightly_run_on');
}

/** Moves the property's calendar date to `date`; false when another process already did. */
export async function moveCalendarDate(db: Db, propertyId: string, date: CalendarDate): Promise<boolean> {
  const moved = await db('beds24_config')
    .where({ property_id: propertyId })
    .where((q) => {
      q.whereNull('calendar_date').orWhereNot('calendar_date', date);
    })
    .update({ calendar_date: date });
  return moved > 0;
}

/** Claims the nightly check of `dueFor` for the property; false when it ran for that date already. */
export async function claimNightlyRun(db: Db, propertyId: string, dueFor: CalendarDate): Promise<boolean> {
  const claimed = await db('beds24_config')
    .where({ property_id: propertyId })
    .where((q) => {
      q.whereNull('nightly_run_on').orWhere('nightly_run_on', '<', dueFor);
    })
    .update({ nightly_run_on: dueFor });
  return claimed > 0;
}

/**
 * Sets the calendar date and the nightly check's date of a property the tick has never seen, so the tick
 * counts from these; a property it has seen keeps its own.
 */
export async function startTickState(
  db: Db,
  propertyId: string,
  calendarDate: CalendarDate,
  nightlyRunOn: CalendarDate,
): Promise<void> {
  await db('beds24_config')
    .where({ property_id: propertyId })
    .update({
      calendar_date: db.raw('coalesce(calendar_date, ?::date)', [calendarDate]),
      nightly_run_on: db.raw('coalesce(nightly_run_on, ?::date)', [nightlyRunOn]),
    });
}

/** The properties that have a Beds24 configuration (connected or not), by name; one when `propertyId` is given. */
export function configuredProperties(db: Db, propertyId?: string): Promise<Array<{ id: string; name: string }>> {
  const query = db('properties as p')
    .join('beds24_config as c', 'c.property_id', 'p.id')
    .select('p.id', 'p.name')
    .orderBy('p.name');
  if (propertyId) query.where('p.id', propertyId);
  return query;
}

export interface UnconfiguredProperty {
  id: string;
  name: string;
  timezone: string;
  currency: string;
}

/** A property of this name with no Beds24 configuration yet. */
export function unconfiguredProperty(db: Db, name: string): Promise<UnconfiguredProperty | undefined> {
  return db('properties')
    .where({ name })
    .leftJoin('beds24_config as c', 'c.property_id', 'properties.id')
    .whereNull('c.property_id')
    .first('properties.id', 'properties.name', 'properties.timezone', 'properties.currency');
}

export interface PushOverview {
  lastPushAt: Date | null;
  /** A connected property (any, without `propertyId`) has a toggle off. */
  paused: boolean;
}

export async function pushOverview(db: Db, propertyId?: string): Promise<PushOverview> {
  const scoped = (): Knex.QueryBuilder => {
    const query = db('beds24_config');
    return propertyId ? query.where({ property_id: propertyId }) : query;
  };
  const lastPush = await scoped().max({ last: 'last_push_at' }).first<{ last: Date | null } | undefined>();
  const paused: { property_id: string } | undefined = await scoped()
    .whereNotNull('refresh_token')
    .where((q) => {
      q.where({ sync_enabled: false }).orWhere({ push_sync_enabled: false });
    })
    .first('property_id');
  return { lastPushAt: lastPush?.last ?? null, paused: paused !== undefined };
}

export async function configuredPropertyIds(db: Db): Promise<string[]> {
  return db('beds24_config').pluck('property_id');
}
