import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProperty, createReservation, createRoom, fingerprint } from '../helpers/fixtures.ts';
import { startTestApp, type TestApp } from '../helpers/test_app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/test_database.ts';

let database: TestDatabase;
let app: TestApp;
let propertyId: string;
const MISSING = '00000000-0000-4000-8000-000000000000';

beforeAll(async () => {
  database = await createTestDatabase();
  app = await startTestApp(database);
  propertyId = (await createProperty(app)).id;
});

afterAll(async () => {
  await app.close();
  await database.drop();
});

async function expectUnchanged(method: string, path: string, body: unknown, status: number, detailPath?: string) {
  const before = await fingerprint(database.db);
  const res = await app.request(method, path, body);
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  if (detailPath) expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain(detailPath);
  expect(await fingerprint(database.db)).toEqual(before);
  return res;
}

describe('properties', () => {
  it('creates with defaults, lists newest first and fetches by id', async () => {
    const res = await app.request('POST', '/api/properties', { name: 'Seaside' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ name: 'Seaside', timezone: 'UTC', currency: 'EUR' });
    const custom = await app.request('POST', '/api/properties', {
      name: 'Alpine',
      timezone: 'Europe/Vienna',
      currency: 'chf',
    });
    expect(custom.body).toMatchObject({ timezone: 'Europe/Vienna', currency: 'CHF' });
    const list = await app.request('GET', '/api/properties?limit=2');
    expect(list.body.data.map((p: { id: string }) => p.id)).toEqual([custom.body.id, res.body.id]);
    expect(list.body.next_cursor).toEqual(expect.any(String));
    expect((await app.request('GET', `/api/properties/${res.body.id}`)).body).toEqual(res.body);
    expect((await app.request('GET', `/api/properties/${MISSING}`)).status).toBe(404);
  });

  it.each([
    [{}, 'name'],
    [{ name: '' }, 'name'],
    [{ name: 'X', timezone: 'Mars/Olympus' }, 'timezone'],
    [{ name: 'X', currency: 'EURO' }, 'currency'],
    [{ name: 'X', currency: 'XYZ' }, 'currency'],
    [{ name: 'X', stars: 5 }, 'stars'],
    [{ name: 42 }, 'name'],
  ])('rejects %j with 400', async (body, path) => {
    await expectUnchanged('POST', '/api/properties', body, 400, path);
  });
});

describe('rooms', () => {
  it('creates, lists by property, fetches and patches a room', async () => {
    const property = await createProperty(app);
    const res = await app.request('POST', '/api/rooms', {
      property_id: property.id,
      number: '101',
      name: 'Garden view',
      room_type: 'double',
      base_price: 99.9,
      max_occupancy: 2,
      beds24_room_id: 12345,
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      number: '101',
      status: 'active',
      housekeeping_status: 'clean',
      beds24_room_id: 12345,
      base_price: 99.9,
    });
    const second = await createRoom(app, property.id);
    const list = await app.request('GET', `/api/rooms?property_id=${property.id}`);
    expect(list.body.data.map((r: { id: string }) => r.id)).toEqual([second.id, res.body.id]);

    const patched = await app.request('PATCH', `/api/rooms/${res.body.id}`, {
      base_price: 110,
      status: 'inactive',
      beds24_room_id: null,
      name: 'Sea view',
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({
      base_price: 110,
      status: 'inactive',
      beds24_room_id: null,
      name: 'Sea view',
      number: '101',
    });
    expect((await app.request('GET', `/api/rooms/${res.body.id}`)).body).toEqual(patched.body);
  });

  it('keeps room numbers unique within a property (409) but not across properties', async () => {
    const a = await createProperty(app);
    const b = await createProperty(app);
    const room = await createRoom(app, a.id, { number: '7' });
    await expectUnchanged(
      'POST',
      '/api/rooms',
      { property_id: a.id, number: '7', room_type: 'single', base_price: 50, max_occupancy: 1 },
      409,
    );
    await createRoom(app, b.id, { number: '7' });
    const other = await createRoom(app, a.id, { number: '8' });
    await expectUnchanged('PATCH', `/api/rooms/${other.id}`, { number: '7' }, 409);
    expect(room.number).toBe('7');
  });

  it('lets exactly one of two concurrent creates of the same number win', async () => {
    const property = await createProperty(app);
    const body = { property_id: property.id, number: 'X1', room_type: 'single', base_price: 50, max_occupancy: 1 };
    const results = await Promise.all(Array.from({ length: 4 }, () => app.request('POST', '/api/rooms', body)));
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409]);
  });

  it.each([
    [{ property_id: MISSING }, 'property_id'],
    [{ property_id: 'abc' }, 'property_id'],
    [{ number: '' }, 'number'],
    [{ base_price: -5 }, 'base_price'],
    [{ base_price: '100' }, 'base_price'],
    [{ base_price: 1.234 }, 'base_price'],
    [{ max_occupancy: 0 }, 'max_occupancy'],
    [{ max_occupancy: 2.5 }, 'max_occupancy'],
    [{ status: 'closed' }, 'status'],
    [{ beds24_room_id: -1 }, 'beds24_room_id'],
    [{ beds24_room_id: '12' }, 'beds24_room_id'],
    [{ housekeeping_status: 'dirty' }, 'housekeeping_status'],
  ])('rejects a room with %j (400)', async (patch, path) => {
    const body = {
      property_id: propertyId,
      number: 'N1',
      room_type: 'double',
      base_price: 80,
      max_occupancy: 2,
      ...patch,
    };
    await expectUnchanged('POST', '/api/rooms', body, 400, path);
  });

  it('rejects bad patches and unknown rooms', async () => {
    const room = await createRoom(app, propertyId);
    await expectUnchanged('PATCH', `/api/rooms/${room.id}`, { property_id: propertyId }, 400, 'property_id');
    await expectUnchanged('PATCH', `/api/rooms/${room.id}`, { status: 'gone' }, 400, 'status');
    await expectUnchanged('PATCH', `/api/rooms/${room.id}`, {}, 400);
    await expectUnchanged('PATCH', `/api/rooms/${MISSING}`, { name: 'x' }, 404);
    await expectUnchanged('GET', `/api/rooms/${MISSING}`, undefined, 404);
    await expectUnchanged('GET', '/api/rooms?property_id=nope', undefined, 400, 'property_id');
  });

  it('sets the housekeeping status', async () => {
    const room = await createRoom(app, propertyId);
    const res = await app.request('PATCH', `/api/rooms/${room.id}/housekeeping`, {
      housekeeping_status: 'out_of_order',
    });
    expect(res.status).toBe(200);
    expect(res.body.housekeeping_status).toBe('out_of_order');
    await expectUnchanged(
      'PATCH',
      `/api/rooms/${room.id}/housekeeping`,
      { housekeeping_status: 'broken' },
      400,
      'housekeeping_status',
    );
    await expectUnchanged(
      'PATCH',
      `/api/rooms/${room.id}/housekeeping`,
      { housekeeping_status: 'dirty', status: 'inactive' },
      400,
      'status',
    );
    await expectUnchanged('PATCH', `/api/rooms/${MISSING}/housekeeping`, { housekeeping_status: 'dirty' }, 404);
  });
});

describe('rates', () => {
  it('overrides the base price night by night, both ends included', async () => {
    const room = await createRoom(app, propertyId, { base_price: 100 });
    const put = await app.request('PUT', `/api/rooms/${room.id}/rates`, {
      from: '2027-01-02',
      to: '2027-01-03',
      price: 150.25,
    });
    expect(put.status).toBe(200);
    expect(put.body).toEqual({ room_id: room.id, from: '2027-01-02', to: '2027-01-03', price: 150.25 });
    await app.request('PUT', `/api/rooms/${room.id}/rates`, { from: '2027-01-03', to: '2027-01-03', price: 0 });
    const rates = await app.request('GET', `/api/rooms/${room.id}/rates?from=2027-01-01&to=2027-01-04`);
    expect(rates.body).toEqual([
      { date: '2027-01-01', price: 100 },
      { date: '2027-01-02', price: 150.25 },
      { date: '2027-01-03', price: 0 },
      { date: '2027-01-04', price: 100 },
    ]);
  });

  it.each([
    [{ from: '2027-01-05', to: '2027-01-04', price: 10 }, 'to'],
    [{ from: '2027-01-05', to: '2029-01-05', price: 10 }, 'to'],
    [{ from: '2027-01-05', to: '2027-01-06', price: -1 }, 'price'],
    [{ from: '2027-01-05', to: '2027-01-06' }, 'price'],
    [{ from: '5/1/2027', to: '2027-01-06', price: 10 }, 'from'],
    [{ from: '2027-01-05', to: '2027-01-06', price: 10, currency: 'EUR' }, 'currency'],
  ])('rejects %j with 400', async (body, path) => {
    const room = await createRoom(app, propertyId);
    await expectUnchanged('PUT', `/api/rooms/${room.id}/rates`, body, 400, path);
  });

  it('answers 404 for an unknown room and 400 for a bad query', async () => {
    await expectUnchanged(
      'PUT',
      `/api/rooms/${MISSING}/rates`,
      { from: '2027-01-05', to: '2027-01-06', price: 10 },
      404,
    );
    const room = await createRoom(app, propertyId);
    await expectUnchanged('GET', `/api/rooms/${room.id}/rates?from=2027-01-05`, undefined, 400, 'to');
    await expectUnchanged('GET', `/api/rooms/${MISSING}/rates?from=2027-01-05&to=2027-01-06`, undefined, 404);
  });
});

describe('maintenance blocks', () => {
  it('creates, lists and deletes blocks', async () => {
    const room = await createRoom(app, propertyId);
    const res = await app.request('POST', `/api/rooms/${room.id}/maintenance`, {
      start_date: '2027-02-01',
      end_date: '2027-02-03',
      reason: 'paint',
    });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.any(String),
      room_id: room.id,
      start_date: '2027-02-01',
      end_date: '2027-02-03',
      reason: 'paint',
    });
    const list = await app.request('GET', `/api/rooms/${room.id}/maintenance`);
    expect(list.body).toEqual({ data: [res.body], next_cursor: null });
    expect((await app.request('DELETE', `/api/maintenance/${res.body.id}`)).status).toBe(204);
    expect((await app.request('GET', `/api/rooms/${room.id}/maintenance`)).body.data).toEqual([]);
    await expectUnchanged('DELETE', `/api/maintenance/${res.body.id}`, undefined, 404);
  });

  it('rejects a block over an occupying stay with 409, but not over a cancelled one', async () => {
    const room = await createRoom(app, propertyId);
    const stay = await createReservation(app, room.id, { check_in: '2027-03-10', check_out: '2027-03-12' });
    const res = await expectUnchanged(
      'POST',
      `/api/rooms/${room.id}/maintenance`,
      { start_date: '2027-03-11', end_date: '2027-03-15' },
      409,
    );
    expect(res.body.error.message).toContain(stay.id);
    await app.request('DELETE', `/api/reservations/${stay.id}`);
    expect(
      (
        await app.request('POST', `/api/rooms/${room.id}/maintenance`, {
          start_date: '2027-03-11',
          end_date: '2027-03-15',
        })
      ).status,
    ).toBe(201);
  });

  it.each([
    [{ start_date: '2027-02-03', end_date: '2027-02-03' }, 'end_date'],
    [{ start_date: '2027-02-03' }, 'end_date'],
    [{ start_date: 'tomorrow', end_date: '2027-02-03' }, 'start_date'],
    [{ start_date: '2027-02-01', end_date: '2027-02-03', room_id: MISSING }, 'room_id'],
  ])('rejects %j with 400', async (body, path) => {
    const room = await createRoom(app, propertyId);
    await expectUnchanged('POST', `/api/rooms/${room.id}/maintenance`, body, 400, path);
  });

  it('answers 404 for an unknown room', async () => {
    await expectUnchanged(
      'POST',
      `/api/rooms/${MISSING}/maintenance`,
      { start_date: '2027-02-01', end_date: '2027-02-03' },
      404,
    );
    await expectUnchanged('GET', `/api/rooms/${MISSING}/maintenance`, undefined, 404);
  });
});

describe('guests', () => {
  it('creates, fetches and patches a guest', async () => {
    const res = await app.request('POST', '/api/guests', {
      first_name: 'Ada',
      last_name: 'Lovelace',
      email: 'ada@example.org',
      country: 'gb',
      language: 'EN',
      phone: '',
    });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.any(String),
      first_name: 'Ada',
      last_name: 'Lovelace',
      email: 'ada@example.org',
      phone: null,
      address: null,
      city: null,
      postcode: null,
      country: 'GB',
      language: 'en',
    });
    const patched = await app.request('PATCH', `/api/guests/${res.body.id}`, { city: 'London', email: null });
    expect(patched.body).toMatchObject({ city: 'London', email: null, first_name: 'Ada' });
    expect((await app.request('GET', `/api/guests/${res.body.id}`)).body).toEqual(patched.body);
  });

  it.each([
    [{ last_name: 'X' }, 'first_name'],
    [{ first_name: 'X', last_name: 'Y', email: 'not-an-email' }, 'email'],
    [{ first_name: 'X', last_name: 'Y', country: 'Germany' }, 'country'],
    [{ first_name: 'X', last_name: 'Y', language: 'eng' }, 'language'],
    [{ first_name: 'X'.repeat(101), last_name: 'Y' }, 'first_name'],
    [{ first_name: 'X', last_name: 'Y', id: MISSING }, 'id'],
  ])('rejects %j with 400', async (body, path) => {
    await expectUnchanged('POST', '/api/guests', body, 400, path);
  });

  it('rejects bad patches and unknown guests', async () => {
    const guest = (await app.request('POST', '/api/guests', { first_name: 'A', last_name: 'B' })).body;
    await expectUnchanged('PATCH', `/api/guests/${guest.id}`, { first_name: null }, 400, 'first_name');
    await expectUnchanged('PATCH', `/api/guests/${MISSING}`, { city: 'x' }, 404);
    await expectUnchanged('GET', `/api/guests/${MISSING}`, undefined, 404);
  });
});
