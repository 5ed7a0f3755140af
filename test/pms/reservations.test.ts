import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGuest, createProperty, createReservation, createRoom, fingerprint } from '../helpers/fixtures.ts';
import { startTestApp, type TestApp } from '../helpers/test_app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/test_database.ts';

let database: TestDatabase;
let app: TestApp;
let propertyId: string;

beforeAll(async () => {
  database = await createTestDatabase();
  app = await startTestApp(database);
  propertyId = (await createProperty(app)).id;
});

afterAll(async () => {
  await app.close();
  await database.drop();
});

async function expectRejected(method: string, path: string, body: unknown, status: number, detailPath?: string) {
  const before = await fingerprint(database.db);
  const res = await app.request(method, path, body);
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.body.error.code).toBe({ 400: 'validation_failed', 404: 'not_found', 409: 'conflict' }[status]);
  expect(typeof res.body.error.message).toBe('string');
  if (detailPath !== undefined)
    expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain(detailPath);
  expect(await fingerprint(database.db)).toEqual(before);
  return res.body.error;
}

describe('creating a reservation', () => {
  it('creates one with a new guest, applies the defaults and embeds the guest', async () => {
    const room = await createRoom(app, propertyId);
    const res = await app.request('POST', '/api/reservations', {
      room_id: room.id,
      guest: { first_name: 'Grace', last_name: 'Hopper', email: 'grace@example.com', country: 'us', language: 'EN' },
      check_in: '2027-05-01',
      check_out: '2027-05-03',
      adults: 2,
      total_price: 240.5,
      notes: 'late arrival',
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      property_id: propertyId,
      room_id: room.id,
      check_in: '2027-05-01',
      check_out: '2027-05-03',
      adults: 2,
      children: 0,
      status: 'confirmed',
      source: 'direct',
      total_price: 240.5,
      notes: 'late arrival',
      beds24_booking_id: null,
      guest: { first_name: 'Grace', last_name: 'Hopper', email: 'grace@example.com', country: 'US', language: 'en' },
    });
    expect(res.body.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.body.guest_id).toBe(res.body.guest.id);
    const fetched = await app.request('GET', `/api/reservations/${res.body.id}`);
    expect(fetched.body).toEqual(res.body);
  });

  it('accepts an existing guest by id', async () => {
    const room = await createRoom(app, propertyId);
    const guest = await createGuest(app);
    const res = await createReservation(app, room.id, { guest: undefined, guest_id: guest.id });
    expect(res.guest).toEqual(guest);
  });

  it('accepts beds24_booking_id only with source beds24', async () => {
    const room = await createRoom(app, propertyId);
    const ok = await createReservation(app, room.id, { source: 'beds24', beds24_booking_id: 7001 });
    expect(ok).toMatchObject({ source: 'beds24', beds24_booking_id: 7001 });
    await expectRejected(
      'POST',
      '/api/reservations',
      {
        room_id: room.id,
        guest_id: ok.guest_id,
        check_in: '2027-09-01',
        check_out: '2027-09-02',
        adults: 1,
        beds24_booking_id: 7002,
      },
      400,
      'beds24_booking_id',
    );
  });

  const validBody = (roomId: string) => ({
    room_id: roomId,
    guest: { first_name: 'A', last_name: 'B' },
    check_in: '2027-06-10',
    check_out: '2027-06-12',
    adults: 1,
  });

  it.each([
    ['an unknown field', { extra: 1 }, 'extra'],
    ['an unknown guest field', { guest: { first_name: 'A', last_name: 'B', vip: true } }, 'guest.vip'],
    ['adults as a string', { adults: '2' }, 'adults'],
    ['fractional adults', { adults: 1.5 }, 'adults'],
    ['zero adults', { adults: 0 }, 'adults'],
    ['negative children', { children: -1 }, 'children'],
    ['an impossible date', { check_in: '2027-02-30' }, 'check_in'],
    ['a date with a time', { check_out: '2027-06-12T10:00:00Z' }, 'check_out'],
    ['check_out equal to check_in', { check_out: '2027-06-10' }, 'check_out'],
    ['check_out before check_in', { check_out: '2027-06-01' }, 'check_out'],
    ['a stay over 365 nights', { check_out: '2028-06-11' }, 'check_out'],
    ['an unknown status', { status: 'booked' }, 'status'],
    ['an unknown source', { source: 'fax' }, 'source'],
    ['a price with 3 decimals', { total_price: 10.005 }, 'total_price'],
    ['a negative price', { total_price: -1 }, 'total_price'],
    ['both guest and guest_id', { guest_id: '00000000-0000-4000-8000-000000000000' }, 'guest_id'],
    ['neither guest nor guest_id', { guest: undefined }, 'guest_id'],
    ['a malformed room_id', { room_id: 'room-1' }, 'room_id'],
    ['a room that does not exist', { room_id: '00000000-0000-4000-8000-000000000000' }, 'room_id'],
    ['a guest that does not exist', { guest: undefined, guest_id: '00000000-0000-4000-8000-000000000000' }, 'guest_id'],
    ['a bad guest email', { guest: { first_name: 'A', last_name: 'B', email: 'nope' } }, 'guest.email'],
    ['a bad guest country', { guest: { first_name: 'A', last_name: 'B', country: 'DEU' } }, 'guest.country'],
  ])('rejects %s with 400 and changes nothing', async (_name, patch, path) => {
    const room = await createRoom(app, propertyId);
    await expectRejected('POST', '/api/reservations', { ...validBody(room.id), ...patch }, 400, path);
  });

  it('rejects more guests than the room holds with 400', async () => {
    const room = await createRoom(app, propertyId, { max_occupancy: 3 });
    await createReservation(app, room.id, { adults: 2, children: 1, check_in: '2027-07-01', check_out: '2027-07-02' });
    const error = await expectRejected(
      'POST',
      '/api/reservations',
      { ...validBody(room.id), adults: 2, children: 2 },
      400,
      'adults',
    );
    expect(error.message).toMatch(/max_occupancy/);
  });

  it('rejects a body that is not an object, or not JSON', async () => {
    for (const body of ['[1,2]', '"text"', '{"room_id":']) {
      const res = await app.request('POST', '/api/reservations', body);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
    }
  });

  it('rejects an inactive room with 409', async () => {
    const room = await createRoom(app, propertyId, { status: 'inactive' });
    const error = await expectRejected('POST', '/api/reservations', validBody(room.id), 409);
    expect(error.message).toMatch(/inactive/);
  });
});

describe('overlaps', () => {
  it('rejects an occupying stay that overlaps another with 409, and allows back-to-back stays', async () => {
    const room = await createRoom(app, propertyId);
    const first = await createReservation(app, room.id, { check_in: '2027-08-10', check_out: '2027-08-15' });
    for (const [check_in, check_out] of [
      ['2027-08-10', '2027-08-15'],
      ['2027-08-09', '2027-08-11'],
      ['2027-08-14', '2027-08-20'],
      ['2027-08-11', '2027-08-12'],
      ['2027-08-01', '2027-08-30'],
    ]) {
      const error = await expectRejected(
        'POST',
        '/api/reservations',
        { ...validBodyFor(room.id), check_in, check_out },
        409,
      );
      expect(error.message).toContain(first.id);
    }
    await createReservation(app, room.id, { check_in: '2027-08-15', check_out: '2027-08-16' });
    await createReservation(app, room.id, { check_in: '2027-08-05', check_out: '2027-08-10' });
  });

  it('lets cancelled and checked-out stays be overlapped', async () => {
    const room = await createRoom(app, propertyId);
    const cancelled = await createReservation(app, room.id, { check_in: '2027-09-10', check_out: '2027-09-12' });
    expect((await app.request('DELETE', `/api/reservations/${cancelled.id}`)).status).toBe(200);
    await createReservation(app, room.id, { check_in: '2027-09-10', check_out: '2027-09-12', status: 'checked_out' });
    await createReservation(app, room.id, { check_in: '2027-09-10', check_out: '2027-09-12', status: 'pending' });
  });

  it('rejects a stay over a maintenance block with 409', async () => {
    const room = await createRoom(app, propertyId);
    const block = await app.request('POST', `/api/rooms/${room.id}/maintenance`, {
      start_date: '2027-10-05',
      end_date: '2027-10-07',
    });
    expect(block.status).toBe(201);
    const error = await expectRejected(
      'POST',
      '/api/reservations',
      { ...validBodyFor(room.id), check_in: '2027-10-06', check_out: '2027-10-09' },
      409,
    );
    expect(error.message).toMatch(/maintenance/);
    await createReservation(app, room.id, { check_in: '2027-10-07', check_out: '2027-10-09' });
  });

  it('lets exactly one of two concurrent creates for the same nights win', async () => {
    for (let round = 0; round < 5; round += 1) {
      const room = await createRoom(app, propertyId);
      const body = { ...validBodyFor(room.id), check_in: '2027-11-01', check_out: '2027-11-04' };
      const results = await Promise.all(
        Array.from({ length: 6 }, () => app.request('POST', '/api/reservations', body)),
      );
      expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409, 409]);
      const { count } = (await database
        .db('reservations')
        .where({ room_id: room.id })
        .count({ count: '*' })
        .first()) as { count: string };
      expect(Number(count)).toBe(1);
      const guests = (await database.db('guests').where({ first_name: 'Concurrent' }).count({ n: '*' }).first()) as {
        n: string;
      };
      expect(Number(guests.n)).toBe(round + 1);
    }
  });

  it('is backed by the database: a direct overlapping insert is refused by the exclusion constraint', async () => {
    const room = await createRoom(app, propertyId);
    const existing = await createReservation(app, room.id, { check_in: '2027-12-01', check_out: '2027-12-05' });
    await expect(
      database.db('reservations').insert({
        property_id: propertyId,
        room_id: room.id,
        guest_id: existing.guest_id,
        check_in: '2027-12-03',
        check_out: '2027-12-06',
        adults: 1,
      }),
    ).rejects.toThrow(/reservations_no_overlap/);
  });
});

function validBodyFor(roomId: string) {
  return {
    room_id: roomId,
    guest: { first_name: 'Concurrent', last_name: 'Guest' },
    check_in: '2027-06-10',
    check_out: '2027-06-12',
    adults: 1,
  };
}

describe('updating and cancelling', () => {
  it('changes dates, room, guest counts and status, re-checking the rules on the merged state', async () => {
    const roomA = await createRoom(app, propertyId, { max_occupancy: 2 });
    const roomB = await createRoom(app, propertyId, { max_occupancy: 4 });
    const res = await createReservation(app, roomA.id, { check_in: '2028-01-10', check_out: '2028-01-12' });

    const moved = await app.request('PATCH', `/api/reservations/${res.id}`, {
      room_id: roomB.id,
      check_out: '2028-01-14',
      adults: 3,
      children: 1,
    });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({
      room_id: roomB.id,
      check_in: '2028-01-10',
      check_out: '2028-01-14',
      adults: 3,
      children: 1,
    });
    expect(new Date(moved.body.updated_at).getTime()).toBeGreaterThanOrEqual(new Date(res.updated_at).getTime());

    await expectRejected('PATCH', `/api/reservations/${res.id}`, { room_id: roomA.id }, 400, 'adults');
    await expectRejected('PATCH', `/api/reservations/${res.id}`, { check_in: '2028-01-14' }, 400, 'check_out');
    await expectRejected('PATCH', `/api/reservations/${res.id}`, { source: 'phone' }, 400, 'source');
    await expectRejected('PATCH', `/api/reservations/${res.id}`, {}, 400);

    const checkedIn = await app.request('PATCH', `/api/reservations/${res.id}`, {
      status: 'checked_in',
      notes: 'key 2',
    });
    expect(checkedIn.body).toMatchObject({ status: 'checked_in', notes: 'key 2' });
  });

  it('rejects moving onto an occupied or inactive room with 409, and allows editing in place', async () => {
    const roomA = await createRoom(app, propertyId);
    const roomB = await createRoom(app, propertyId);
    const a = await createReservation(app, roomA.id, { check_in: '2028-02-01', check_out: '2028-02-05' });
    await createReservation(app, roomB.id, { check_in: '2028-02-03', check_out: '2028-02-04' });
    await expectRejected('PATCH', `/api/reservations/${a.id}`, { room_id: roomB.id }, 409);
    const extended = await app.request('PATCH', `/api/reservations/${a.id}`, { check_out: '2028-02-07' });
    expect(extended.status).toBe(200);

    const roomC = await createRoom(app, propertyId, { status: 'inactive' });
    await expectRejected('PATCH', `/api/reservations/${a.id}`, { room_id: roomC.id }, 409);
  });

  it('rejects re-activating a cancelled stay whose nights were taken since', async () => {
    const room = await createRoom(app, propertyId);
    const a = await createReservation(app, room.id, { check_in: '2028-03-01', check_out: '2028-03-03' });
    await app.request('DELETE', `/api/reservations/${a.id}`);
    await createReservation(app, room.id, { check_in: '2028-03-02', check_out: '2028-03-04' });
    await expectRejected('PATCH', `/api/reservations/${a.id}`, { status: 'confirmed' }, 409);
  });

  it('rejects moving a stay to a room of another property', async () => {
    const other = await createProperty(app);
    const foreignRoom = await createRoom(app, other.id);
    const room = await createRoom(app, propertyId);
    const a = await createReservation(app, room.id, { check_in: '2028-04-01', check_out: '2028-04-03' });
    await expectRejected('PATCH', `/api/reservations/${a.id}`, { room_id: foreignRoom.id }, 400, 'room_id');
  });

  it('cancels on DELETE, keeps the row, and is idempotent', async () => {
    const room = await createRoom(app, propertyId);
    const a = await createReservation(app, room.id, { check_in: '2028-05-01', check_out: '2028-05-03' });
    const first = await app.request('DELETE', `/api/reservations/${a.id}`);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ id: a.id, status: 'cancelled', check_in: '2028-05-01' });
    const again = await app.request('DELETE', `/api/reservations/${a.id}`);
    expect(again.status).toBe(200);
    expect((await app.request('GET', `/api/reservations/${a.id}`)).body.status).toBe('cancelled');
  });

  it('answers 404 for ids that do not exist and 400 for malformed ids', async () => {
    const missing = '00000000-0000-4000-8000-000000000000';
    await expectRejected('GET', `/api/reservations/${missing}`, undefined, 404);
    await expectRejected('PATCH', `/api/reservations/${missing}`, { notes: 'x' }, 404);
    await expectRejected('DELETE', `/api/reservations/${missing}`, undefined, 404);
    await expectRejected('GET', '/api/reservations/not-a-uuid', undefined, 400, 'id');
  });
});

describe('listing', () => {
  it('filters by property, room, dates and status, newest first, with cursor paging', async () => {
    const property = await createProperty(app);
    const room = await createRoom(app, property.id);
    const created = [];
    for (let i = 0; i < 5; i += 1) {
      created.push(
        await createReservation(app, room.id, { check_in: `2028-06-0${i + 1}`, check_out: `2028-06-0${i + 2}` }),
      );
    }
    await app.request('DELETE', `/api/reservations/${created[0].id}`);

    const all = await app.request('GET', `/api/reservations?property_id=${property.id}`);
    expect(all.body.data.map((r: { id: string }) => r.id)).toEqual(created.map((r) => r.id).reverse());
    expect(all.body.next_cursor).toBeNull();

    const page1 = await app.request('GET', `/api/reservations?room_id=${room.id}&limit=2`);
    expect(page1.body.data).toHaveLength(2);
    const page2 = await app.request(
      'GET',
      `/api/reservations?room_id=${room.id}&limit=2&cursor=${page1.body.next_cursor}`,
    );
    const page3 = await app.request(
      'GET',
      `/api/reservations?room_id=${room.id}&limit=2&cursor=${page2.body.next_cursor}`,
    );
    expect(page3.body.next_cursor).toBeNull();
    expect([...page1.body.data, ...page2.body.data, ...page3.body.data].map((r: { id: string }) => r.id)).toEqual(
      created.map((r) => r.id).reverse(),
    );

    const window = await app.request(
      'GET',
      `/api/reservations?property_id=${property.id}&from=2028-06-02&to=2028-06-04`,
    );
    expect(window.body.data.map((r: { check_in: string }) => r.check_in).sort()).toEqual(['2028-06-02', '2028-06-03']);
    const cancelled = await app.request('GET', `/api/reservations?property_id=${property.id}&status=cancelled`);
    expect(cancelled.body.data.map((r: { id: string }) => r.id)).toEqual([created[0].id]);
  });

  it.each([
    ['limit=0', 'limit'],
    ['limit=501', 'limit'],
    ['limit=abc', 'limit'],
    ['cursor=garbage', 'cursor'],
    ['status=booked', 'status'],
    ['from=2028-13-01', 'from'],
    ['from=2028-06-05&to=2028-06-01', 'to'],
    ['property_id=1', 'property_id'],
    ['unknown=1', 'unknown'],
  ])('rejects the query %s with 400', async (query, path) => {
    const res = await app.request('GET', `/api/reservations?${query}`);
    expect(res.status).toBe(400);
    expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain(path);
  });
});
