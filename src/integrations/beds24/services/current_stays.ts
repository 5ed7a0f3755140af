import type { Db, Knex } from '../../../db.ts';

/**
 * The one definition of the stays Beds24 still cares about: reservations the PMS owns (not imported from
 * Beds24) whose check-out is today or later in their property's time zone, today taken from the injected
 * clock. A stay that checked out yesterday there is over, whatever the server's or the database's date.
 * The query is on `reservations as r` joined to `properties as p`; callers add their filters and columns.
 */
export function currentAndFutureStays(db: Db, now: Date): Knex.QueryBuilder {
  return db('reservations as r')
    .join('properties as p', 'p.id', 'r.property_id')
    .whereNot('r.source', 'beds24')
    .whereRaw('r.check_out >= (?::timestamptz at time zone p.timezone)::date', [now.toISOString()]);
}
