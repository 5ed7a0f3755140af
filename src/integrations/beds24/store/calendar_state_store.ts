import type { Db } from '../../../db.ts';
import type { CalendarDate } from '../../../utils/dates.ts';
import type { Cell, ChangedCell, RememberedCalendar } from '../mappers/availability_mapper.ts';

const REMEMBER_BATCH = 2000;

/** What Beds24 last accepted per (Beds24 room, night) over the range. */
export async function rememberedCalendar(
  db: Db,
  propertyId: string,
  range: { from: CalendarDate; to: CalendarDate },
): Promise<RememberedCalendar> {
  const rows = await db('beds24_calendar_state')
    .where({ property_id: propertyId })
    .whereBetween('date', [range.from, range.to])
    .select('beds24_room_id', 'date', 'num_avail', 'price1', 'min_stay', 'max_stay', 'override');
  const remembered: RememberedCalendar = new Map();
  for (const row of rows) {
    let byDate = remembered.get(row.beds24_room_id);
    if (!byDate) remembered.set(row.beds24_room_id, (byDate = new Map<CalendarDate, Cell>()));
    const { num_avail: numAvail, price1, min_stay: minStay, max_stay: maxStay, override } = row;
    byDate.set(row.date, { numAvail, price1, minStay, maxStay, override });
  }
  return remembered;
}

/**
 * Remembers the cells Beds24 just accepted. A write without restriction fields left Beds24's restrictions as
 * they were, so it leaves the remembered ones too (a new row starts with none sent); one without numAvail
 * leaves the remembered units.
 */
export async function rememberCells(db: Db, propertyId: string, cells: ChangedCell[], now: Date): Promise<void> {
  for (const [keepsUnits, group] of Map.groupBy(cells, (cell) => cell.keepsNumAvail === true)) {
    const columns: StateColumn[] = keepsUnits ? ['price1', 'pushed_at'] : ['num_avail', 'price1', 'pushed_at'];
    const [withRestrictions, without] = [
      group.filter((cell) => cell.override !== undefined),
      group.filter((cell) => cell.override === undefined),
    ];
    await upsertCells(db, propertyId, withRestrictions, now, [...columns, 'min_stay', 'max_stay', 'override']);
    await upsertCells(db, propertyId, without, now, columns);
  }
}

type StateColumn = 'num_avail' | 'price1' | 'pushed_at' | 'min_stay' | 'max_stay' | 'override';

async function upsertCells(db: Db, propertyId: string, cells: ChangedCell[], now: Date, merge: StateColumn[]) {
  for (let i = 0; i < cells.length; i += REMEMBER_BATCH) {
    const rows = cells.slice(i, i + REMEMBER_BATCH).map((cell) => ({
      property_id: propertyId,
      beds24_room_id: cell.beds24RoomId,
      date: cell.date,
      num_avail: cell.numAvail,
      price1: cell.price1,
      min_stay: cell.minStay ?? null,
      max_stay: cell.maxStay ?? null,
      override: cell.override ?? null,
      pushed_at: now,
    }));
    await db('beds24_calendar_state').insert(rows).onConflict(['property_id', 'beds24_room_id', 'date']).merge(merge);
  }
}

/** Forgets these cells: the next push sends them again, whatever we believed Beds24 held. */
export async function forgetCells(
  db: Db,
  propertyId: string,
  cells: Array<{ beds24RoomId: number; date: CalendarDate }>,
): Promise<void> {
  for (const [beds24RoomId, group] of Map.groupBy(cells, (cell) => cell.beds24RoomId)) {
    await db('beds24_calendar_state')
      .where({ property_id: propertyId, beds24_room_id: beds24RoomId })
      .whereIn(
        'date',
        group.map((cell) => cell.date),
      )
      .delete();
  }
}

/**
 * Forgets those of these cells that Beds24 accepted at or after `since` (on the clock that stamped
 * `pushed_at`); answers how many. The next push sends them again.
 */
export async function forgetCellsPushedSince(
  db: Db,
  propertyId: string,
  cells: Array<{ beds24RoomId: number; date: CalendarDate }>,
  since: Date,
): Promise<number> {
  let forgotten = 0;
  for (const [beds24RoomId, group] of Map.groupBy(cells, (cell) => cell.beds24RoomId)) {
    forgotten += await db('beds24_calendar_state')
      .where({ property_id: propertyId, beds24_room_id: beds24RoomId })
      .whereIn(
        'date',
        group.map((cell) => cell.date),
      )
      .where('pushed_at', '>=', since)
      .delete();
  }
  return forgotten;
}

/** Records, for good, that the property publishes these Beds24 rooms (Beds24 accepted a calendar write). */
export async function recordPublishedRooms(db: Db, propertyId: string, beds24RoomIds: number[]): Promise<void> {
  if (beds24RoomIds.length === 0) return;
  await db.raw(
    `insert into beds24_published_rooms (property_id, beds24_room_id)
     select ?, unnest(?::bigint[]) on conflict do nothing`,
    [propertyId, beds24RoomIds],
  );
}

export function publishedRoomIds(db: Db, propertyId: string): Promise<number[]> {
  return db('beds24_published_rooms').where({ property_id: propertyId }).pluck('beds24_room_id');
}

/** Forgets published rooms that hold nothing of ours (Beds24 does not know them). */
export async function forgetPublishedRooms(db: Db, propertyId: string, beds24RoomIds: number[]): Promise<void> {
  if (beds24RoomIds.length === 0) return;
  await db('beds24_published_rooms')
    .where({ property_id: propertyId })
    .whereIn('beds24_room_id', beds24RoomIds)
    .delete();
}

/** The Beds24 rooms whose restrictions the PMS manages (see `recordRestrictionRooms`). */
export async function restrictionRoomIds(db: Db, propertyId: string): Promise<Set<number>> {
  return new Set(await db('beds24_restriction_rooms').where({ property_id: propertyId }).pluck('beds24_room_id'));
}

/**
 * Records, before the write is sent, that the PMS manages these rooms' restrictions: whatever becomes of
 * the answer, every later write of them carries minStay, maxStay and override.
 */
export async function recordRestrictionRooms(db: Db, propertyId: string, beds24RoomIds: number[]): Promise<void> {
  if (beds24RoomIds.length === 0) return;
  await db.raw(
    `insert into beds24_restriction_rooms (property_id, beds24_room_id)
     select ?, unnest(?::bigint[]) on conflict do nothing`,
    [propertyId, beds24RoomIds],
  );
}
