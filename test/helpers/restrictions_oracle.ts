import { addDays } from '../../src/utils/dates.ts';
import type { ApiClient } from './calendar_oracle.ts';

export interface OracleRestrictionCell {
  date: string;
  minStay: number | null;
  maxStay: number | null;
  override: 'none' | 'blackout' | 'noCheckIn' | 'noCheckOut' | 'noCheckInOrCheckOut';
}

interface ApiRoom {
  room_type: string;
  status: string;
  beds24_room_id: number | null;
}

interface ApiRestriction {
  date: string;
  room_type: string;
  min_stay: number | null;
  max_stay: number | null;
  closed_to_arrival: boolean;
  closed_to_departure: boolean;
  stop_sell: boolean;
}

/**
 * The contract's restriction rule computed the slow, obvious way from what the REST API returns: for each
 * night, the room types of the active rooms mapped to the Beds24 room, the highest min_stay, the lowest
 * max_stay, and the override by precedence. It shares no code with the sync, so the two can disagree.
 */
export async function expectedRestrictions(
  app: ApiClient,
  propertyId: string,
  beds24RoomId: number,
  from: string,
  nights: number,
): Promise<OracleRestrictionCell[]> {
  const rooms: ApiRoom[] = (await app.request('GET', `/api/rooms?property_id=${propertyId}&limit=500`)).body.data;
  const types = rooms
    .filter((room) => room.beds24_room_id === beds24RoomId && room.status === 'active')
    .map((room) => room.room_type);
  const to = addDays(from, nights - 1);
  const answer = await app.request('GET', `/api/properties/${propertyId}/restrictions?from=${from}&to=${to}`);
  const rows: ApiRestriction[] = answer.body;
  const cells: OracleRestrictionCell[] = [];
  for (let i = 0; i < nights; i += 1) {
    const date = addDays(from, i);
    const tonight = rows.filter((row) => row.date === date && types.includes(row.room_type));
    const mins = tonight.map((row) => row.min_stay).filter((value): value is number => value !== null);
    const maxes = tonight.map((row) => row.max_stay).filter((value): value is number => value !== null);
    const stopSell = tonight.some((row) => row.stop_sell);
    const noArrival = tonight.some((row) => row.closed_to_arrival);
    const noDeparture = tonight.some((row) => row.closed_to_departure);
    let override: OracleRestrictionCell['override'] = 'none';
    if (noArrival) override = 'noCheckIn';
    if (noDeparture) override = 'noCheckOut';
    if (noArrival && noDeparture) override = 'noCheckInOrCheckOut';
    if (stopSell) override = 'blackout';
    cells.push({
      date,
      minStay: mins.length > 0 ? Math.max(...mins) : null,
      maxStay: maxes.length > 0 ? Math.min(...maxes) : null,
      override,
    });
  }
  return cells;
}
