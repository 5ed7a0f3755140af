import type { RequestHandler } from 'express';
import type { Knex } from '../../../db.ts';
import { NotFoundError } from '../../../errors.ts';
import { parse } from '../../../http/validate.ts';
import type { Beds24Sync } from '../beds24_sync.ts';
import { CalendarGridQuery } from './admin_schemas.ts';

export interface CalendarControllerDeps {
  db: Knex;
  sync: Pick<Beds24Sync, 'calendarGrid'>;
}

export function createCalendarController({ db, sync }: CalendarControllerDeps) {
  /** The dashboard's calendar grid: reads the database only, never Beds24. */
  const calendarHandler: RequestHandler = async (req, res) => {
    const { property_id: propertyId, from, to } = parse(CalendarGridQuery, req.query, 'query');
    const property = await db('properties').where({ id: propertyId }).first<{ id: string } | undefined>('id');
    if (!property) throw new NotFoundError('property', propertyId);
    res.json(await sync.calendarGrid(propertyId, { from, to }));
  };

  return { calendarHandler };
}
