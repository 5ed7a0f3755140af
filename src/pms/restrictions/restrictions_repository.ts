import type { Db } from '../../db.ts';
import { ValidationError } from '../../errors.ts';
import {
  RESTRICTION_FIELDS,
  type NightRestrictions,
  type RestrictionChanges,
  type RestrictionField,
} from './restriction_schemas.ts';

interface Target {
  propertyId: string;
  roomType: string;
  from: string;
  to: string;
}

const CASTS: Record<RestrictionField, string> = {
  min_stay: 'smallint',
  max_stay: 'smallint',
  closed_to_arrival: 'boolean',
  closed_to_departure: 'boolean',
  stop_sell: 'boolean',
};

/**
 * Locks the property row until the end of the transaction, so two restriction writes of one property cannot
 * both pass the min/max check against what the other is about to store. `no key update` leaves inserts
 * that merely reference the property (rooms, reservations) unblocked.
 */
export async function lockPropertyForRestrictions(db: Db, propertyId: string): Promise<boolean> {
  const row = await db('properties').where({ id: propertyId }).forNoKeyUpdate().first<{ id: string } | undefined>('id');
  return row !== undefined;
}

export async function propertyHasRoomType(db: Db, propertyId: string, roomType: string): Promise<boolean> {
  return (await db('rooms').where({ property_id: propertyId, room_type: roomType }).first('id')) !== undefined;
}

/**
 * Refuses a write whose min_stay or max_stay would cross the other one already stored on a night of the
 * range (both given in the request is the schema's rule). Names the field and the first such night.
 */
export async function assertStayOrderKept(db: Db, target: Target, changes: RestrictionChanges): Promise<void> {
  type Night = { date: string; min_stay: number | null; max_stay: number | null } | undefined;
  const nights = () =>
    db('room_type_restrictions')
      .where({ property_id: target.propertyId, room_type: target.roomType })
      .whereBetween('date', [target.from, target.to])
      .orderBy('date')
      .first<Night>('date', 'min_stay', 'max_stay');
  if (changes.min_stay != null && changes.max_stay === undefined) {
    const clash = await nights().where('max_stay', '<', changes.min_stay);
    if (clash) {
      throw ValidationError.field('min_stay', `must not be above the max_stay ${clash.max_stay} set on ${clash.date}`);
    }
  }
  if (changes.max_stay != null && changes.min_stay === undefined) {
    const clash = await nights().where('min_stay', '>', changes.max_stay);
    if (clash) {
      throw ValidationError.field('max_stay', `must not be below the min_stay ${clash.min_stay} set on ${clash.date}`);
    }
  }
}

/**
 * Sets the given fields on every night of the range in one statement (nights without a row get one, the
 * other fields at their empty value). Rows the write left with nothing set are removed: they mean the
 * same as no row. That second statement is only needed when the write cleared something.
 */
export async function upsertRestrictions(db: Db, target: Target, changes: RestrictionChanges): Promise<void> {
  const fields = RESTRICTION_FIELDS.filter((field) => changes[field] !== undefined);
  const values = fields.map((field) => changes[field] ?? null);
  await db.raw(
    `insert into room_type_restrictions (property_id, room_type, date, ${fields.join(', ')})
     select ?, ?, d::date, ${fields.map((field) => `?::${CASTS[field]}`).join(', ')}
     from generate_series(?::date, ?::date, interval '1 day') as d
     on conflict (property_id, room_type, date) do update
     set ${fields.map((field) => `${field} = excluded.${field}`).join(', ')}`,
    [target.propertyId, target.roomType, ...values, target.from, target.to],
  );
  const clearsSomething = values.some((value) => value === null || value === false);
  if (!clearsSomething) return;
  await db('room_type_restrictions')
    .where({ property_id: target.propertyId, room_type: target.roomType })
    .whereBetween('date', [target.from, target.to])
    .whereNull('min_stay')
    .whereNull('max_stay')
    .where({ closed_to_arrival: false, closed_to_departure: false, stop_sell: false })
    .delete();
}

/**
 * One row per night of [from, to] and room type (the given one, or every room type the property's rooms
 * have), ordered by night then room type; `null`/`false` where nothing is set.
 */
export async function nightlyRestrictions(
  db: Db,
  propertyId: string,
  roomType: string | undefined,
  from: string,
  to: string,
): Promise<NightRestrictions[]> {
  const { rows } = await db.raw<{ rows: NightRestrictions[] }>(
    `with types as (
       select distinct room_type from rooms where property_id = ? and (?::text is null or room_type = ?)
     )
     select to_char(d, 'YYYY-MM-DD') as date, t.room_type,
            r.min_stay::int as min_stay, r.max_stay::int as max_stay,
            coalesce(r.closed_to_arrival, false) as closed_to_arrival,
            coalesce(r.closed_to_departure, false) as closed_to_departure,
            coalesce(r.stop_sell, false) as stop_sell
     from types t
     cross join generate_series(?::date, ?::date, interval '1 day') as d
     left join room_type_restrictions r on r.property_id = ? and r.room_type = t.room_type and r.date = d::date
     order by d, t.room_type`,
    [propertyId, roomType ?? null, roomType ?? null, from, to, propertyId],
  );
  return rows;
}

/** Restrictions of the property's room types over [from, to], only the nights where something is set. */
export interface StoredRestriction {
  room_type: string;
  date: string;
  min_stay: number | null;
  max_stay: number | null;
  closed_to_arrival: boolean;
  closed_to_departure: boolean;
  stop_sell: boolean;
}

export function storedRestrictions(db: Db, propertyId: string, from: string, to: string): Promise<StoredRestriction[]> {
  return db('room_type_restrictions')
    .where({ property_id: propertyId })
    .whereBetween('date', [from, to])
    .select('room_type', 'date', 'min_stay', 'max_stay', 'closed_to_arrival', 'closed_to_departure', 'stop_sell');
}
