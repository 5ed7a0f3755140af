import type { Db } from '../../../db.ts';

export interface CatalogEntry {
  roomIds: number[];
  /** The list is what Beds24 said the last time it was asked (that call did not fail). */
  fetched: boolean;
}

/** The Beds24 property's room ids as last listed, if the catalog is about that Beds24 property. */
export async function readCatalog(
  db: Db,
  propertyId: string,
  beds24PropertyId: number,
): Promise<CatalogEntry | undefined> {
  const row = await db('beds24_room_catalog')
    .where({ property_id: propertyId, beds24_property_id: beds24PropertyId })
    .first('room_ids', 'fetched_at', 'asked_at');
  if (!row) return undefined;
  return { roomIds: row.room_ids.map(Number), fetched: row.fetched_at !== null && row.fetched_at >= row.asked_at };
}

/** Records the room list Beds24 just gave. */
export async function storeCatalog(
  db: Db,
  propertyId: string,
  beds24PropertyId: number,
  roomIds: number[],
  now: Date,
): Promise<void> {
  await db('beds24_room_catalog')
    .insert({
      property_id: propertyId,
      beds24_property_id: beds24PropertyId,
      room_ids: roomIds,
      fetched_at: now,
      asked_at: now,
    })
    .onConflict('property_id')
    .merge();
}

/**
 * True for the one caller (across processes) that may ask Beds24 now: none asked since `askedBefore`, or
 * the catalog is about another Beds24 property (then its list is dropped). The others use the stored list.
 */
export async function claimCatalogRefresh(
  db: Db,
  propertyId: string,
  beds24PropertyId: number,
  now: Date,
  askedBefore: Date,
): Promise<boolean> {
  const { rows }: { rows: unknown[] } = await db.raw(
    `insert into beds24_room_catalog as c (property_id, beds24_property_id, asked_at) values (?, ?, ?)
     on conflict (property_id) do update
       set asked_at = excluded.asked_at,
           beds24_property_id = excluded.beds24_property_id,
           room_ids = case when c.beds24_property_id = excluded.beds24_property_id then c.room_ids else '{}' end,
           fetched_at = case when c.beds24_property_id = excluded.beds24_property_id then c.fetched_at end
       where c.asked_at <= ? or c.beds24_property_id <> excluded.beds24_property_id
     returning c.property_id`,
    [propertyId, beds24PropertyId, now, askedBefore],
  );
  return rows.length > 0;
}
