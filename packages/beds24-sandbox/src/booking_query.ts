import type { QueryParams } from './query_params.ts';
import type { SandboxState } from './sandbox_state.ts';
import { todayIn } from './dates.ts';
import { BOOKING_STATUSES, type Booking, type BookingStatus } from './sandbox_model.ts';

const DEFAULT_STATUSES: readonly BookingStatus[] = ['confirmed', 'request', 'new', 'black', 'inquiry'];
/** The `filter` shortcuts only ever return these, per the spec. */
const FILTER_STATUSES: readonly BookingStatus[] = ['confirmed', 'new', 'request'];
const FILTERS = ['arrivals', 'departures', 'new', 'current'] as const;
type BookingFilter = (typeof FILTERS)[number];

export interface BookingQuery {
  ids?: number[];
  propertyIds?: number[];
  roomIds?: number[];
  masterIds?: number[];
  apiReferences?: string[];
  channel?: string;
  statuses?: BookingStatus[];
  filter?: BookingFilter;
  arrival?: string;
  arrivalFrom?: string;
  arrivalTo?: string;
  departure?: string;
  departureFrom?: string;
  departureTo?: string;
  bookingTimeFrom?: number;
  bookingTimeTo?: number;
  modifiedFrom?: number;
  modifiedTo?: number;
  searchString?: string;
  includeInfoItems: boolean;
  includeInvoiceItems: boolean;
  includeGuests: boolean;
  includeBookingGroup: boolean;
  page: number;
}

/** Parses GET /bookings' query; any malformed value throws the 400 Beds24 answers with. */
export function parseBookingQuery(params: QueryParams): BookingQuery {
  const query: BookingQuery = {
    includeInfoItems: params.boolean('includeInfoItems'),
    includeInvoiceItems: params.boolean('includeInvoiceItems'),
    includeGuests: params.boolean('includeGuests'),
    includeBookingGroup: params.boolean('includeBookingGroup'),
    page: params.page(),
  };
  assign(query, 'ids', params.integers('id'));
  assign(query, 'propertyIds', params.integers('propertyId'));
  assign(query, 'roomIds', params.integers('roomId'));
  assign(query, 'masterIds', params.integers('masterId'));
  assign(query, 'apiReferences', params.strings('apiReference'));
  assign(query, 'channel', params.string('channel'));
  assign(query, 'statuses', params.enums('status', BOOKING_STATUSES));
  assign(query, 'filter', params.enumValue('filter', FILTERS));
  for (const name of ['arrival', 'arrivalFrom', 'arrivalTo', 'departure', 'departureFrom', 'departureTo'] as const) {
    assign(query, name, params.date(name));
  }
  for (const name of ['bookingTimeFrom', 'bookingTimeTo', 'modifiedFrom', 'modifiedTo'] as const) {
    assign(query, name, params.dateTime(name));
  }
  assign(query, 'searchString', params.string('searchString'));
  return query;
}

function assign<K extends keyof BookingQuery>(query: BookingQuery, key: K, value: BookingQuery[K] | undefined): void {
  if (value !== undefined) query[key] = value;
}

/**
 * Bookings of one account matching the query, by id. Without `id`, Beds24 hides cancelled bookings and
 * (unless a date filter is given) bookings that already departed.
 */
export function findBookings(state: SandboxState, accountId: number, query: BookingQuery): Booking[] {
  const now = state.now();
  const statuses = new Set(
    query.statuses ??
      (query.ids !== undefined ? BOOKING_STATUSES : query.filter !== undefined ? FILTER_STATUSES : DEFAULT_STATUSES),
  );
  const upcomingOnly = query.ids === undefined && query.filter === undefined && !hasDateFilter(query);
  const search = query.searchString?.toLowerCase();
  return [...state.bookings.values()]
    .filter((b) => {
      if (b.accountId !== accountId || !statuses.has(b.status)) return false;
      if (query.ids !== undefined && !query.ids.includes(b.id)) return false;
      if (query.propertyIds !== undefined && !query.propertyIds.includes(b.propertyId)) return false;
      if (query.roomIds !== undefined && !query.roomIds.includes(b.roomId)) return false;
      if (query.masterIds !== undefined && !query.masterIds.includes(Number(b.fields.masterId))) return false;
      if (query.apiReferences !== undefined && !query.apiReferences.includes(String(b.fields.apiReference ?? '')))
        return false;
      if (query.channel !== undefined && b.fields.channel !== query.channel) return false;
      const today = todayIn(state.properties.get(b.propertyId)?.timezone ?? 'UTC', now);
      if (upcomingOnly && b.departure < today) return false;
      if (query.filter !== undefined && !matchesFilter(b, query.filter, today, now)) return false;
      if (!matchesDates(b, query)) return false;
      if (search !== undefined && !matchesSearch(b, search)) return false;
      return true;
    })
    .sort((a, b) => a.id - b.id);
}

function hasDateFilter(query: BookingQuery): boolean {
  return [
    query.arrival,
    query.arrivalFrom,
    query.arrivalTo,
    query.departure,
    query.departureFrom,
    query.departureTo,
    query.bookingTimeFrom,
    query.bookingTimeTo,
    query.modifiedFrom,
    query.modifiedTo,
  ].some((v) => v !== undefined);
}

/** Bounds are inclusive: the spec's "after"/"before" wording is vague and integrators treat them so. */
function matchesDates(b: Booking, q: BookingQuery): boolean {
  if (q.arrival !== undefined && b.arrival !== q.arrival) return false;
  if (q.arrivalFrom !== undefined && b.arrival < q.arrivalFrom) return false;
  if (q.arrivalTo !== undefined && b.arrival > q.arrivalTo) return false;
  if (q.departure !== undefined && b.departure !== q.departure) return false;
  if (q.departureFrom !== undefined && b.departure < q.departureFrom) return false;
  if (q.departureTo !== undefined && b.departure > q.departureTo) return false;
  const booked = Date.parse(b.bookingTime);
  const modified = Date.parse(b.modifiedTime);
  if (q.bookingTimeFrom !== undefined && booked < q.bookingTimeFrom) return false;
  if (q.bookingTimeTo !== undefined && booked > q.bookingTimeTo) return false;
  if (q.modifiedFrom !== undefined && modified < q.modifiedFrom) return false;
  if (q.modifiedTo !== undefined && modified > q.modifiedTo) return false;
  return true;
}

function matchesFilter(b: Booking, filter: BookingFilter, today: string, now: Date): boolean {
  switch (filter) {
    case 'arrivals':
      return b.arrival === today;
    case 'departures':
      return b.departure === today;
    case 'new':
      return now.getTime() - Date.parse(b.bookingTime) <= 86_400_000;
    case 'current':
      return b.arrival <= today && today <= b.departure;
  }
}

/** Beds24 matches guest name, email, apiReference and booking id. */
function matchesSearch(b: Booking, search: string): boolean {
  const first = String(b.fields.firstName ?? '');
  const last = String(b.fields.lastName ?? '');
  const haystack = [
    first,
    last,
    `${first} ${last}`,
    String(b.fields.email ?? ''),
    String(b.fields.apiReference ?? ''),
    String(b.id),
  ];
  return haystack.some((value) => value.toLowerCase().includes(search));
}
