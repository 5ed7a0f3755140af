import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createGuest, createProperty, createReservation, createRoom, fingerprint } from '../helpers/fixtures.ts';
import {
  insertImportedReservation,
  nextBookingId,
  type ImportedReservationSpec,
} from '../helpers/imported_reservations.ts';
import { startTestApp, type TestApp } from '../helpers/test_app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/test_database.ts';

const B24_DOUBLE = 5001;
const B24_SUITE = 5002;

let database: TestDatabase;
let app: TestApp;

beforeAll(async () => {
  database = await createTestDatabase();
  app = await startTestApp(database);
});

afterAll(async () => {
  await app.close();
  await database.drop();
});

interface Hotel {
  propertyId: string;
  /**
   * Rooms 101 and 102 sell as Beds24 room 5001 (max occupancy 2), 201 as 5002; 103 is 5001 but inactive;
   * 104 is not mapped.
   */
  rooms: Record<'101' | '102' | '103' | '104' | '201', string>;
}

async function createHotel(): Promise<Hotel> {
  const propertyId = (await createProperty(app)).id;
  const room = async (number: string, body: Record<string, unknown>) =>
    (await createRoom(app, propertyId, { number, ...body })).id as string;
  return {
    propertyId,
    rooms: {
      '101': await room('101', { beds24_room_id: B24_DOUBLE }),
      '102': await room('102', { beds24_room_id: B24_DOUBLE }),
      '103': await room('103', { beds24_room_id: B24_DOUBLE, status: 'inactive' }),
      '104': await room('104', {}),
      '201': await room('201', { beds24_room_id: B24_SUITE }),
    },
  };
}

function imported(hotel: Hotel, spec: Partial<ImportedReservationSpec> = {}): Promise<string> {
  return insertImportedReservation(database.db, {
    propertyId: hotel.propertyId,
    roomId: hotel.rooms['101'],
    bookedBeds24RoomId: B24_DOUBLE,
    bookingId: nextBookingId(),
    ...spec,
  });
}

async function reservation(id: string) {
  const res = await app.request('GET', `/api/reservations/${id}`);
  expect(res.status).toBe(200);
  return res.body;
}

/** The request is refused with 409 and changes nothing; answers the message. */
async function expectConflict(method: string, path: string, body?: unknown): Promise<string> {
  const before = await fingerprint(database.db);
  const res = await app.request(method, path, body);
  expect(res.status, JSON.stringify(res.body)).toBe(409);
  expect(res.body.error.code).toBe('conflict');
  expect(await fingerprint(database.db)).toEqual(before);
  return res.body.error.message as string;
}

async function unassignedIds(query: string): Promise<string[]> {
  const res = await app.request('GET', `/api/reservations?unassigned=true${query}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.data.map((r: { id: string }) => r.id).sort();
}

describe('beds24_room_id in reservation answers', () => {
  let hotel: Hotel;
  beforeAll(async () => {
    hotel = await createHotel();
  });

  it("is the room's Beds24 room for a staff reservation, null in an unmapped room", async () => {
    const mapped = await createReservation(app, hotel.rooms['201'], {
      check_in: '2028-01-01',
      check_out: '2028-01-02',
    });
    const unmapped = await createReservation(app, hotel.rooms['104'], {
      check_in: '2028-01-01',
      check_out: '2028-01-02',
    });
    expect(mapped.beds24_room_id).toBe(B24_SUITE);
    expect(unmapped.beds24_room_id).toBeNull();
    expect((await reservation(mapped.id)).beds24_room_id).toBe(B24_SUITE);
  });

  it("is the assigned room's Beds24 room, and the booked one when unassigned, in GET and in lists", async () => {
    const assigned = await imported(hotel, {
      roomId: hotel.rooms['201'],
      bookedBeds24RoomId: B24_SUITE,
      checkIn: '2028-02-01',
      checkOut: '2028-02-03',
    });
    const unassigned = await imported(hotel, {
      roomId: null,
      bookedBeds24RoomId: B24_DOUBLE,
      checkIn: '2028-02-01',
      checkOut: '2028-02-03',
    });
    expect(await reservation(assigned)).toMatchObject({ room_id: hotel.rooms['201'], beds24_room_id: B24_SUITE });
    expect(await reservation(unassigned)).toMatchObject({
      room_id: null,
      beds24_room_id: B24_DOUBLE,
      booked_beds24_room_id: B24_DOUBLE,
    });
    const list = await app.request(
      'GET',
      `/api/reservations?property_id=${hotel.propertyId}&from=2028-02-01&to=2028-02-02`,
    );
    const byId = new Map(
      list.body.data.map((r: { id: string; beds24_room_id: number | null }) => [r.id, r.beds24_room_id]),
    );
    expect(byId.get(assigned)).toBe(B24_SUITE);
    expect(byId.get(unassigned)).toBe(B24_DOUBLE);
  });

  it("follows the room's mapping for an assigned imported reservation", async () => {
    const room = (await createRoom(app, hotel.propertyId, { beds24_room_id: B24_DOUBLE })).id;
    const id = await imported(hotel, { roomId: room, checkIn: '2028-03-01', checkOut: '2028-03-02' });
    expect((await app.request('PATCH', `/api/rooms/${room}`, { beds24_room_id: 5009 })).status).toBe(200);
    expect(await reservation(id)).toMatchObject({ beds24_room_id: 5009, booked_beds24_room_id: B24_DOUBLE });
  });

  it('POST with source beds24 records the booked Beds24 room and unit 1', async () => {
    const bookingId = nextBookingId();
    const created = await createReservation(app, hotel.rooms['201'], {
      source: 'beds24',
      beds24_booking_id: bookingId,
      check_in: '2028-04-01',
      check_out: '2028-04-02',
    });
    expect(created).toMatchObject({ beds24_room_id: B24_SUITE, booked_beds24_room_id: B24_SUITE, beds24_unit: 1 });
    const message = await expectConflict('POST', '/api/reservations', {
      room_id: hotel.rooms['201'],
      guest_id: created.guest_id,
      check_in: '2028-05-01',
      check_out: '2028-05-02',
      adults: 1,
      source: 'beds24',
      beds24_booking_id: bookingId,
    });
    expect(message).toContain(`Beds24 booking ${bookingId} is already reservation ${created.id}`);
  });
});

describe('GET /api/reservations?unassigned=true', () => {
  let hotel: Hotel;
  const listed: string[] = [];
  const notListed: string[] = [];

  beforeAll(async () => {
    hotel = await createHotel();
    for (const status of ['pending', 'confirmed', 'checked_in'] as const) {
      listed.push(await imported(hotel, { roomId: null, status, checkIn: '2028-07-01', checkOut: '2028-07-03' }));
    }
    for (const status of ['cancelled', 'no_show', 'checked_out'] as const) {
      notListed.push(await imported(hotel, { roomId: null, status, checkIn: '2028-07-01', checkOut: '2028-07-03' }));
    }
    notListed.push(
      await imported(hotel, { roomId: hotel.rooms['101'], checkIn: '2028-07-01', checkOut: '2028-07-03' }),
    );
    notListed.push(
      (await createReservation(app, hotel.rooms['102'], { check_in: '2028-07-01', check_out: '2028-07-03' })).id,
    );
  });

  it("lists the property's unassigned reservations in an occupying status, and nothing else", async () => {
    expect(await unassignedIds(`&property_id=${hotel.propertyId}`)).toEqual([...listed].sort());
  });

  it("leaves out other properties' overbookings, and lists them all without property_id", async () => {
    const other = await createHotel();
    const elsewhere = await imported(other, { roomId: null });
    expect(await unassignedIds(`&property_id=${hotel.propertyId}`)).not.toContain(elsewhere);
    const all = await unassignedIds('&limit=500');
    expect(all).toEqual(expect.arrayContaining([...listed, elsewhere]));
    expect(all.filter((id) => notListed.includes(id))).toEqual([]);
  });

  it('combines with status and dates', async () => {
    expect(await unassignedIds(`&property_id=${hotel.propertyId}&status=pending`)).toEqual([listed[0]]);
    expect(await unassignedIds(`&property_id=${hotel.propertyId}&status=cancelled`)).toEqual([]);
    expect(await unassignedIds(`&property_id=${hotel.propertyId}&from=2028-07-03&to=2028-07-10`)).toEqual([]);
  });

  it('unassigned=false or no filter lists every reservation, assigned or not', async () => {
    const ids = async (query: string) => {
      const res = await app.request('GET', `/api/reservations?property_id=${hotel.propertyId}${query}`);
      expect(res.status).toBe(200);
      return res.body.data.map((r: { id: string }) => r.id).sort();
    };
    const all = await ids('');
    expect(all).toEqual([...listed, ...notListed].sort());
    expect(await ids('&unassigned=false')).toEqual(all);
  });

  it.each([
    ['a value other than true or false', 'unassigned=yes'],
    ['unassigned=true with room_id', 'unassigned=true&room_id=00000000-0000-4000-8000-000000000000'],
  ])('refuses %s with 400 naming unassigned', async (_name, query) => {
    const res = await app.request('GET', `/api/reservations?${query}`);
    expect(res.status).toBe(400);
    expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain('unassigned');
  });
});

describe('staff on an imported reservation', () => {
  let hotel: Hotel;
  beforeEach(async () => {
    hotel = await createHotel();
  });

  describe('may change', () => {
    it('notes', async () => {
      const id = await imported(hotel);
      const res = await app.request('PATCH', `/api/reservations/${id}`, { notes: 'VIP, late arrival' });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ notes: 'VIP, late arrival', source: 'beds24' });
    });

    it('status to checked_in, then checked_out', async () => {
      const id = await imported(hotel);
      expect((await app.request('PATCH', `/api/reservations/${id}`, { status: 'checked_in' })).body.status).toBe(
        'checked_in',
      );
      expect((await app.request('PATCH', `/api/reservations/${id}`, { status: 'checked_out' })).body.status).toBe(
        'checked_out',
      );
    });

    it('status to no_show, assigned or not', async () => {
      for (const roomId of [hotel.rooms['101'], null]) {
        const id = await imported(hotel, { roomId });
        const res = await app.request('PATCH', `/api/reservations/${id}`, { status: 'no_show' });
        expect(res.status, JSON.stringify(res.body)).toBe(200);
        expect(res.body.status).toBe('no_show');
      }
    });

    it('room_id to a free active room mapped to the same Beds24 room', async () => {
      const id = await imported(hotel);
      const res = await app.request('PATCH', `/api/reservations/${id}`, { room_id: hotel.rooms['102'] });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body).toMatchObject({ room_id: hotel.rooms['102'], beds24_room_id: B24_DOUBLE });
    });

    it("room_id even when its guests exceed the new room's max_occupancy: the channel sold that stay", async () => {
      const id = await imported(hotel, { adults: 3, children: 1 });
      const res = await app.request('PATCH', `/api/reservations/${id}`, { room_id: hotel.rooms['102'] });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
    });

    it('fields sent with the value they already have, along with an allowed change', async () => {
      const id = await imported(hotel, { checkIn: '2027-06-10', checkOut: '2027-06-13', adults: 2, totalPrice: 300 });
      const current = await reservation(id);
      const res = await app.request('PATCH', `/api/reservations/${id}`, {
        check_in: '2027-06-10',
        check_out: '2027-06-13',
        adults: 2,
        children: 0,
        total_price: 300,
        guest_id: current.guest_id,
        status: 'confirmed',
        notes: 'same values',
      });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.notes).toBe('same values');
    });
  });

  describe('fixing an overbooking', () => {
    it('assigns a free room: the reservation leaves the unassigned list', async () => {
      const id = await imported(hotel, { roomId: null });
      expect(await unassignedIds(`&property_id=${hotel.propertyId}`)).toEqual([id]);
      const res = await app.request('PATCH', `/api/reservations/${id}`, { room_id: hotel.rooms['102'] });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body).toMatchObject({ room_id: hotel.rooms['102'], beds24_room_id: B24_DOUBLE, status: 'confirmed' });
      expect(await unassignedIds(`&property_id=${hotel.propertyId}`)).toEqual([]);
    });

    it('assigns a room and checks in at once', async () => {
      const id = await imported(hotel, { roomId: null });
      const res = await app.request('PATCH', `/api/reservations/${id}`, {
        room_id: hotel.rooms['101'],
        status: 'checked_in',
      });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body).toMatchObject({ room_id: hotel.rooms['101'], status: 'checked_in' });
    });

    it('changes the notes of an unassigned reservation', async () => {
      const id = await imported(hotel, { roomId: null });
      expect((await app.request('PATCH', `/api/reservations/${id}`, { notes: 'call the guest' })).status).toBe(200);
    });
  });

  describe('may not change', () => {
    it.each<[string, Record<string, unknown>]>([
      ['check_in', { check_in: '2027-06-11' }],
      ['check_out', { check_out: '2027-06-14' }],
      ['adults', { adults: 1 }],
      ['children', { children: 1 }],
      ['total_price', { total_price: 10 }],
      ['total_price to null', { total_price: null }],
      ['status to pending', { status: 'pending' }],
      ['status to cancelled', { status: 'cancelled' }],
      ['an allowed field together with a locked one', { notes: 'x', check_out: '2027-06-12' }],
    ])('%s: 409 saying where the booking is changed', async (_name, body) => {
      const id = await imported(hotel);
      const bookingId = (await reservation(id)).beds24_booking_id;
      const message = await expectConflict('PATCH', `/api/reservations/${id}`, body);
      expect(message).toContain(`this reservation came from Beds24 (booking ${bookingId}, channel booking)`);
      expect(message).toContain('changed in Beds24 or at the channel');
    });

    it('guest_id', async () => {
      const id = await imported(hotel);
      const guest = await createGuest(app);
      const message = await expectConflict('PATCH', `/api/reservations/${id}`, { guest_id: guest.id });
      expect(message).toMatch(/refused: guest_id/);
    });

    it('status back to confirmed after a check-in', async () => {
      const id = await imported(hotel, { status: 'checked_in' });
      const message = await expectConflict('PATCH', `/api/reservations/${id}`, { status: 'confirmed' });
      expect(message).toContain('staff may set it only to checked_in, checked_out or no_show');
    });

    it('the status of a booking Beds24 cancelled', async () => {
      const id = await imported(hotel, { status: 'cancelled' });
      const message = await expectConflict('PATCH', `/api/reservations/${id}`, { status: 'checked_in' });
      expect(message).toContain('the booking is cancelled in Beds24');
    });

    it('checked_in or checked_out without a room', async () => {
      for (const status of ['checked_in', 'checked_out']) {
        const id = await imported(hotel, { roomId: null });
        const message = await expectConflict('PATCH', `/api/reservations/${id}`, { status });
        expect(message).toContain('assign a room');
      }
    });

    it('room_id to a room of another Beds24 room, or an unmapped one', async () => {
      for (const roomId of [null, hotel.rooms['101']]) {
        const id = await imported(hotel, { roomId });
        const suite = await expectConflict('PATCH', `/api/reservations/${id}`, { room_id: hotel.rooms['201'] });
        expect(suite).toContain(`for Beds24 room ${B24_DOUBLE}; room 201 is mapped to Beds24 room ${B24_SUITE}`);
        expect(suite).toContain('this reservation came from Beds24 (booking');
        const unmapped = await expectConflict('PATCH', `/api/reservations/${id}`, { room_id: hotel.rooms['104'] });
        expect(unmapped).toContain('room 104 is not mapped to a Beds24 room');
      }
    });

    it('room_id to an inactive room of the same Beds24 room', async () => {
      const id = await imported(hotel, { roomId: null });
      expect(await expectConflict('PATCH', `/api/reservations/${id}`, { room_id: hotel.rooms['103'] })).toContain(
        'room 103 is inactive',
      );
    });

    it('room_id to a room that is not free on all its nights', async () => {
      await createReservation(app, hotel.rooms['102'], { check_in: '2027-06-12', check_out: '2027-06-15' });
      const id = await imported(hotel, { roomId: null, checkIn: '2027-06-10', checkOut: '2027-06-13' });
      expect(await expectConflict('PATCH', `/api/reservations/${id}`, { room_id: hotel.rooms['102'] })).toContain(
        'room 102 is already booked from 2027-06-12 to 2027-06-15',
      );
      const block = await app.request('POST', `/api/rooms/${hotel.rooms['101']}/maintenance`, {
        start_date: '2027-06-12',
        end_date: '2027-06-13',
      });
      expect(block.status).toBe(201);
      expect(await expectConflict('PATCH', `/api/reservations/${id}`, { room_id: hotel.rooms['101'] })).toContain(
        'room 101 has a maintenance block',
      );
    });

    it('DELETE: 409, the reservation stays as it is', async () => {
      for (const status of ['confirmed', 'cancelled'] as const) {
        const id = await imported(hotel, { status, channel: 'airbnb' });
        const message = await expectConflict('DELETE', `/api/reservations/${id}`);
        expect(message).toMatch(/^this reservation came from Beds24 \(booking \d+, channel airbnb\): /);
        expect(message).toContain('it is cancelled in Beds24 or at the channel');
        expect((await reservation(id)).status).toBe(status);
      }
    });

    it('names the booking without a channel when none is known', async () => {
      const id = await imported(hotel, { channel: null });
      const bookingId = (await reservation(id)).beds24_booking_id;
      expect(await expectConflict('PATCH', `/api/reservations/${id}`, { adults: 1 })).toContain(
        `this reservation came from Beds24 (booking ${bookingId}):`,
      );
    });
  });
});

describe('sync hooks and pushes for imported reservations', () => {
  let hotel: Hotel;
  beforeEach(async () => {
    hotel = await createHotel();
  });

  async function connect(propertyId: string, pushes: boolean): Promise<void> {
    await database.db('beds24_config').insert({
      property_id: propertyId,
      beds24_property_id: 900001,
      refresh_token: 'not-used-by-these-tests',
      sync_enabled: pushes,
    });
  }

  async function outbox(propertyId: string): Promise<string[]> {
    const rows: Array<{ kind: string; entity_id: string }> = await database
      .db('beds24_pending_changes')
      .where({ property_id: propertyId })
      .select('kind', 'entity_id');
    return rows.map((r) => `${r.kind}:${r.entity_id}`).sort();
  }

  it('record availability for a room assignment and a status change without a room, never a booking', async () => {
    await connect(hotel.propertyId, false);
    const unassigned = await imported(hotel, { roomId: null });
    expect((await app.request('PATCH', `/api/reservations/${unassigned}`, { status: 'no_show' })).status).toBe(200);
    expect(await outbox(hotel.propertyId)).toEqual(['availability:calendar']);

    await database.db('beds24_pending_changes').where({ property_id: hotel.propertyId }).delete();
    const other = await imported(hotel, { roomId: null });
    expect((await app.request('PATCH', `/api/reservations/${other}`, { room_id: hotel.rooms['102'] })).status).toBe(
      200,
    );
    expect(await outbox(hotel.propertyId)).toEqual(['availability:calendar']);
  });

  it('the booking push skips an unassigned imported reservation without calling Beds24', async () => {
    await connect(hotel.propertyId, true);
    const id = await imported(hotel, { roomId: null });
    await database
      .db('beds24_pending_changes')
      .insert({ property_id: hotel.propertyId, kind: 'reservations', entity_id: id });
    const verdict = await app.sync.runJob(
      { kind: 'reservations', propertyId: hotel.propertyId },
      { id: 'test-job', retryCount: 0 },
    );
    expect(verdict).toBe('completed');
    expect(await outbox(hotel.propertyId)).toEqual([]);
    const state = await database.db('beds24_reservation_sync').where({ reservation_id: id }).first('state');
    expect(state).toEqual({ state: 'skipped' });
  });
});
