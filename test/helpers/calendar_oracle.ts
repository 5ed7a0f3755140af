import { addDays, todayIn } from '../../src/utils/dates.ts';
import type { ApiResponse } from './test_app.ts';

/** Anything that can call the REST API: the in-process test app, or a server running as a child process. */
export interface ApiClient {
  request(method: string, path: string, body?: unknown): Promise<ApiResponse>;
}

export interface OracleCell {
  date: string;
  numAvail: number;
  price1: number | null;
}

/**
 * The contract's availability rule computed the slow, obvious way from what the REST API returns:
 * night by night, room by room. It shares no code with the sync, so the two can disagree. Complimentary
 * prices (0) are left out of the minimum; `price1: null` means "no price is sent": Beds24 keeps its own.
 */
export async function expectedCalendar(
  app: ApiClient,
  propertyId: string,
  beds24RoomId: number,
  timezone: string,
  nights: number,
): Promise<OracleCell[]> {
  const rooms = (await app.request('GET', `/api/rooms?property_id=${propertyId}&limit=500`)).body.data.filter(
    (room: { beds24_room_id: number | null }) => room.beds24_room_id === beds24RoomId,
  );
  const reservations = (await app.request('GET', `/api/reservations?property_id=${propertyId}&limit=500`)).body.data;
  const today = todayIn(timezone, new Date());
  const last = addDays(today, nights - 1);
  const details = new Map<
    string,
    { blocks: Array<{ start_date: string; end_date: string }>; rates: Map<string, number> }
  >();
  for (const room of rooms) {
    const blocks = (await app.request('GET', `/api/rooms/${room.id}/maintenance?limit=500`)).body.data;
    const rates = (await app.request('GET', `/api/rooms/${room.id}/rates?from=${today}&to=${last}`)).body as Array<{
      date: string;
      price: number;
    }>;
    details.set(room.id, { blocks, rates: new Map(rates.map((r) => [r.date, r.price])) });
  }
  const cells: OracleCell[] = [];
  for (let i = 0; i < nights; i += 1) {
    const date = addDays(today, i);
    let numAvail = 0;
    let price1: number | null = null;
    for (const room of rooms) {
      if (room.status !== 'active') continue;
      const { blocks, rates } = details.get(room.id)!;
      const price = rates.get(date)!;
      if (price > 0) price1 = price1 === null ? price : Math.min(price1, price);
      const occupied = reservations.some(
        (r: { room_id: string; status: string; check_in: string; check_out: string }) =>
          r.room_id === room.id &&
          ['pending', 'confirmed', 'checked_in'].includes(r.status) &&
          r.check_in <= date &&
          date < r.check_out,
      );
      const blocked = blocks.some(
        (b: { start_date: string; end_date: string }) => b.start_date <= date && date < b.end_date,
      );
      const outOfOrderTonight = date === today && room.housekeeping_status === 'out_of_order';
      if (!occupied && !blocked && !outOfOrderTonight) numAvail += 1;
    }
    // An imported reservation that got no room still holds a unit of the Beds24 room it was booked in.
    const unassigned = reservations.filter(
      (r: {
        room_id: string | null;
        beds24_room_id: number | null;
        status: string;
        check_in: string;
        check_out: string;
      }) =>
        r.room_id === null &&
        r.beds24_room_id === beds24RoomId &&
        ['pending', 'confirmed', 'checked_in'].includes(r.status) &&
        r.check_in <= date &&
        date < r.check_out,
    ).length;
    numAvail = Math.max(0, numAvail - unassigned);
    cells.push({ date, numAvail, price1 });
  }
  return cells;
}
