import { daysBetween, type CalendarDate } from '../../../utils/dates.ts';

/** The values of Beds24's calendar `override` that the PMS sends (`exception` is never sent). */
export const OVERRIDES = ['none', 'blackout', 'noCheckIn', 'noCheckOut', 'noCheckInOrCheckOut'] as const;
export type Override = (typeof OVERRIDES)[number];

/** One stored night of one PMS room type (`room_type_restrictions`). */
export interface RestrictionInput {
  room_type: string;
  date: CalendarDate;
  min_stay: number | null;
  max_stay: number | null;
  closed_to_arrival: boolean;
  closed_to_departure: boolean;
  stop_sell: boolean;
}

/** What one Beds24 room shows for one night: `null` stays leave Beds24 to apply the room's own setting. */
export interface CellRestrictions {
  minStay: number | null;
  maxStay: number | null;
  override: Override;
}

export const NO_RESTRICTIONS: Readonly<CellRestrictions> = Object.freeze({
  minStay: null,
  maxStay: null,
  override: 'none',
});

/**
 * Beds24 has one `override` per night, so the flags collapse by precedence: stop-sell closes the night
 * whatever else is set; both closed flags together are their own value.
 */
export function overrideFor(flags: {
  stopSell: boolean;
  closedToArrival: boolean;
  closedToDeparture: boolean;
}): Override {
  if (flags.stopSell) return 'blackout';
  if (flags.closedToArrival && flags.closedToDeparture) return 'noCheckInOrCheckOut';
  if (flags.closedToArrival) return 'noCheckIn';
  if (flags.closedToDeparture) return 'noCheckOut';
  return 'none';
}

/** A cell's restrictions with "not given" read as Beds24's empty values (no stay limits, override none). */
export function restrictionsOf(
  cell: { minStay?: number | null; maxStay?: number | null; override?: Override | null } | undefined,
): CellRestrictions {
  return { minStay: cell?.minStay ?? null, maxStay: cell?.maxStay ?? null, override: cell?.override ?? 'none' };
}

export function sameRestrictions(a: CellRestrictions, b: CellRestrictions): boolean {
  return a.minStay === b.minStay && a.maxStay === b.maxStay && a.override === b.override;
}

export function isUnrestricted(restrictions: CellRestrictions): boolean {
  return sameRestrictions(restrictions, NO_RESTRICTIONS);
}

/** Room type → night offset from `from` → that night's row; rows outside [from, from + nights) are dropped. */
export type RestrictionIndex = Map<string, Map<number, RestrictionInput>>;

export function indexRestrictions(
  rows: readonly RestrictionInput[],
  from: CalendarDate,
  nights: number,
): RestrictionIndex {
  const index: RestrictionIndex = new Map();
  for (const row of rows) {
    const offset = daysBetween(from, row.date);
    if (offset < 0 || offset >= nights) continue;
    let byNight = index.get(row.room_type);
    if (!byNight) index.set(row.room_type, (byNight = new Map<number, RestrictionInput>()));
    byNight.set(offset, row);
  }
  return index;
}

/**
 * The strictest restrictions of the given room types, night by night (the room types of the active rooms
 * mapped to one Beds24 room): the highest min_stay, the lowest max_stay, a flag when any type has it.
 * Undefined on a night none of them restricts, so unrestricted cells stay exactly as they were.
 */
export function foldRestrictions(
  roomTypes: Iterable<string>,
  index: RestrictionIndex,
  nights: number,
): Array<CellRestrictions | undefined> {
  const folded = new Array<CellRestrictions | undefined>(nights).fill(undefined);
  const rows = [...new Set(roomTypes)].flatMap((type) => {
    const byNight = index.get(type);
    return byNight ? [byNight] : [];
  });
  if (rows.length === 0) return folded;
  for (let i = 0; i < nights; i += 1) {
    let minStay: number | null = null;
    let maxStay: number | null = null;
    const flags = { stopSell: false, closedToArrival: false, closedToDeparture: false };
    for (const byNight of rows) {
      const row = byNight.get(i);
      if (!row) continue;
      if (row.min_stay !== null && (minStay === null || row.min_stay > minStay)) minStay = row.min_stay;
      if (row.max_stay !== null && (maxStay === null || row.max_stay < maxStay)) maxStay = row.max_stay;
      flags.stopSell ||= row.stop_sell;
      flags.closedToArrival ||= row.closed_to_arrival;
      flags.closedToDeparture ||= row.closed_to_departure;
    }
    const night: CellRestrictions = { minStay, maxStay, override: overrideFor(flags) };
    if (!isUnrestricted(night)) folded[i] = night;
  }
  return folded;
}
