import type { Db, Knex } from '../../../db.ts';
import type { ImportedBookingTable, ImportOutcome } from './tables.ts';

/**
 * Outcomes whose recorded version is what the PMS holds: the same version read again changes nothing. An
 * unmapped booking is looked at again each time (a room may have been mapped to its Beds24 room since).
 */
export const SETTLED_OUTCOMES: ReadonlySet<ImportOutcome> = new Set(['imported', 'ours', 'inquiry', 'invalid']);

export type ImportedBooking = Pick<
  ImportedBookingTable,
  'beds24_booking_id' | 'outcome' | 'modified_time' | 'fingerprint' | 'version_read_at' | 'last_read_at'
>;

const COLUMNS = [
  'beds24_booking_id',
  'outcome',
  'modified_time',
  'fingerprint',
  'version_read_at',
  'last_read_at',
] as const;

/** What the PMS holds of these bookings of the property, by Beds24 booking id. */
export async function importedBookings(
  db: Db,
  propertyId: string,
  bookingIds: number[],
): Promise<Map<number, ImportedBooking>> {
  if (bookingIds.length === 0) return new Map();
  const rows: ImportedBooking[] = await db('beds24_imported_bookings')
    .where({ property_id: propertyId })
    .whereIn('beds24_booking_id', bookingIds)
    .select(COLUMNS);
  return new Map(rows.map((row) => [row.beds24_booking_id, row]));
}

/**
 * Serialises the imports of one booking of one property, across processes, until the transaction ends: two
 * imports of the same booking (a pull and a read by id) cannot both create it.
 */
export async function lockBookingImport(trx: Knex.Transaction, propertyId: string, bookingId: number): Promise<void> {
  await trx.raw('select pg_advisory_xact_lock(hashtextextended(?, 0))', [`beds24-import:${propertyId}:${bookingId}`]);
}

export function lockedImportedBooking(
  trx: Knex.Transaction,
  propertyId: string,
  bookingId: number,
): Promise<ImportedBooking | undefined> {
  return trx('beds24_imported_bookings')
    .where({ property_id: propertyId, beds24_booking_id: bookingId })
    .first(COLUMNS);
}

export interface ImportRecord {
  bookingId: number;
  outcome: ImportOutcome;
  modifiedTime: string | null;
  fingerprint: string | null;
  /** When the content applied was read (the start of the pull or of the read by id). */
  versionReadAt: Date;
  /** Set when this import read the booking by id. */
  readAt?: Date;
  /** Set when the PMS applied this version. */
  importedAt?: Date;
}

/** Records what the import made of a booking version (in the transaction that applied it). */
export async function recordImport(db: Db, propertyId: string, record: ImportRecord, now: Date): Promise<void> {
  const row = {
    property_id: propertyId,
    beds24_booking_id: record.bookingId,
    outcome: record.outcome,
    modified_time: record.modifiedTime,
    fingerprint: record.fingerprint,
    version_read_at: record.versionReadAt,
    updated_at: now,
    ...(record.readAt === undefined ? {} : { last_read_at: record.readAt }),
    ...(record.importedAt === undefined ? {} : { imported_at: record.importedAt }),
  };
  const merged = Object.keys(row).filter((key) => key !== 'property_id' && key !== 'beds24_booking_id');
  await db('beds24_imported_bookings')
    .insert(row)
    .onConflict(['property_id', 'beds24_booking_id'])
    .merge(merged as Array<keyof ImportedBookingTable>);
}

/** Records these bookings as the PMS's own, in one statement: every later version of them is skipped. */
export async function recordOwnBookings(db: Db, propertyId: string, bookingIds: number[], now: Date): Promise<void> {
  if (bookingIds.length === 0) return;
  await db.raw(
    `insert into beds24_imported_bookings (property_id, beds24_booking_id, outcome, updated_at)
     select ?, id, 'ours', ? from unnest(?::bigint[]) as id order by id
     on conflict (property_id, beds24_booking_id) do update set outcome = 'ours', updated_at = excluded.updated_at`,
    [propertyId, now, bookingIds],
  );
}

/** Marks bookings as read by id now (the flood limit counts from here), whatever the read found. */
export async function recordReads(db: Db, propertyId: string, bookingIds: number[], now: Date): Promise<void> {
  if (bookingIds.length === 0) return;
  await db.raw(
    `insert into beds24_imported_bookings (property_id, beds24_booking_id, outcome, last_read_at, updated_at)
     select ?, id, 'not_found', ?, ? from unnest(?::bigint[]) as id order by id
     on conflict (property_id, beds24_booking_id) do update set last_read_at = excluded.last_read_at,
       updated_at = excluded.updated_at`,
    [propertyId, now, now, bookingIds],
  );
}

/** How many Beds24 bookings the PMS imported, per outcome, for one property or all. */
export async function importOutcomes(db: Db, propertyId?: string): Promise<Record<string, number>> {
  const { rows }: { rows: Array<{ outcome: string; n: number }> } = await db.raw(
    `select outcome, count(*)::int as n from beds24_imported_bookings
     where ?::uuid is null or property_id = ?::uuid group by outcome`,
    [propertyId ?? null, propertyId ?? null],
  );
  return Object.fromEntries(rows.map((row) => [row.outcome, row.n]));
}
