import type { Db } from '../../../db.ts';
import type { CalendarDate } from '../../../utils/dates.ts';
import type { DriftValues } from './tables.ts';

const INSERT_BATCH = 2000;

export interface DriftNight {
  beds24RoomId: number;
  date: CalendarDate;
  expected: DriftValues;
  actual: DriftValues;
  cause: string;
}

/** The last drift check's differing nights of the property, replacing the previous check's. */
export async function replaceCalendarDrift(db: Db, propertyId: string, nights: DriftNight[], checkedAt: Date) {
  await db('beds24_calendar_drift').where({ property_id: propertyId }).delete();
  for (let i = 0; i < nights.length; i += INSERT_BATCH) {
    const rows = nights.slice(i, i + INSERT_BATCH).map((night) => ({
      property_id: propertyId,
      beds24_room_id: night.beds24RoomId,
      date: night.date,
      expected: JSON.stringify(night.expected),
      actual: JSON.stringify(night.actual),
      cause: night.cause,
      checked_at: checkedAt,
    }));
    await db('beds24_calendar_drift').insert(rows);
  }
}

/** The nights of [from, to] the last drift check found different, with when it ran. */
export async function calendarDrift(
  db: Db,
  propertyId: string,
  range: { from: CalendarDate; to: CalendarDate },
): Promise<Array<DriftNight & { checkedAt: Date }>> {
  const rows = await db('beds24_calendar_drift')
    .where({ property_id: propertyId })
    .whereBetween('date', [range.from, range.to])
    .orderBy(['beds24_room_id', 'date'])
    .select('beds24_room_id', 'date', 'expected', 'actual', 'cause', 'checked_at');
  return rows.map((row) => ({
    beds24RoomId: row.beds24_room_id,
    date: row.date,
    expected: row.expected as DriftValues,
    actual: row.actual as DriftValues,
    cause: row.cause,
    checkedAt: row.checked_at,
  }));
}
