import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { addDays } from '../../src/utils/dates.ts';
import { createProperty, createRoom, fingerprint } from '../helpers/fixtures.ts';
import { startSyncWorld, type SyncWorld } from '../helpers/sync_harness.ts';
import type { Json, TestApp } from '../helpers/test_app.ts';

/*
 * One connected property (sandbox running, no sync workers, so the outbox rows a write records stay put):
 * room types `double` (2 rooms) and `suite` (1 room) mapped to Beds24 rooms, plus an unmapped `dorm` room
 * and an inactive `loft` room. A second property, never connected, has a `double` room.
 */
let world: SyncWorld;
let app: TestApp;
let propertyId: string;
let otherPropertyId: string;
const MISSING = '00000000-0000-4000-8000-000000000000';

beforeAll(async () => {
  world = await startSyncWorld(
    [
      { name: 'double', units: 2 },
      { name: 'suite', units: 1 },
    ],
    { workers: false },
  );
  app = world.app;
  propertyId = world.propertyId;
  await createRoom(app, propertyId, { room_type: 'dorm' });
  await createRoom(app, propertyId, { room_type: 'loft', status: 'inactive' });
  const other = await createProperty(app);
  otherPropertyId = other.id;
  await createRoom(app, otherPropertyId, { room_type: 'double' });
  await createRoom(app, otherPropertyId, { room_type: 'penthouse' });
});

afterAll(async () => {
  await world?.close();
});

beforeEach(async () => {
  await world.database.db('room_type_restrictions').delete();
});

const put = (body: unknown, id = propertyId) => app.request('PUT', `/api/properties/${id}/restrictions`, body);
const get = (query: string, id = propertyId) => app.request('GET', `/api/properties/${id}/restrictions?${query}`);

interface NightValues {
  min_stay: number | null;
  max_stay: number | null;
  closed_to_arrival: boolean;
  closed_to_departure: boolean;
  stop_sell: boolean;
}
const empty: NightValues = {
  min_stay: null,
  max_stay: null,
  closed_to_arrival: false,
  closed_to_departure: false,
  stop_sell: false,
};
/** The GET row of a night of one room type: nothing set unless given. */
const night = (date: string, roomType: string, set: Partial<NightValues> = {}) => ({
  date,
  room_type: roomType,
  ...empty,
  ...set,
});

async function putOk(body: Record<string, unknown>, id = propertyId): Promise<Json> {
  const res = await put(body, id);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

async function rowsStored(): Promise<number> {
  const row = await world.database.db('room_type_restrictions').count({ n: '*' }).first();
  return Number(row?.n);
}

describe('PUT /api/properties/:id/restrictions', () => {
  it('sets the given fields on every night from `from` to `to`, both included, and answers them', async () => {
    const body = {
      room_type: 'double',
      from: '2027-07-02',
      to: '2027-07-04',
      min_stay: 3,
      max_stay: 14,
      closed_to_arrival: true,
    };
    expect(await putOk(body)).toEqual({ property_id: propertyId, ...body });
    const res = await get('room_type=double&from=2027-07-01&to=2027-07-05');
    expect(res.status).toBe(200);
    const set = { min_stay: 3, max_stay: 14, closed_to_arrival: true };
    expect(res.body).toEqual([
      night('2027-07-01', 'double'),
      night('2027-07-02', 'double', set),
      night('2027-07-03', 'double', set),
      night('2027-07-04', 'double', set),
      night('2027-07-05', 'double'),
    ]);
  });

  it('keeps the fields left out, night by night', async () => {
    await putOk({ room_type: 'double', from: '2027-07-01', to: '2027-07-03', min_stay: 2, stop_sell: true });
    await putOk({ room_type: 'double', from: '2027-07-03', to: '2027-07-04', closed_to_departure: true, max_stay: 7 });
    await putOk({ room_type: 'double', from: '2027-07-02', to: '2027-07-02', min_stay: 4 });
    const res = await get('room_type=double&from=2027-07-01&to=2027-07-04');
    expect(res.body).toEqual([
      night('2027-07-01', 'double', { min_stay: 2, stop_sell: true }),
      night('2027-07-02', 'double', { min_stay: 4, stop_sell: true }),
      night('2027-07-03', 'double', { min_stay: 2, stop_sell: true, closed_to_departure: true, max_stay: 7 }),
      night('2027-07-04', 'double', { closed_to_departure: true, max_stay: 7 }),
    ]);
  });

  it('clears a field with null (a flag normalised to false) and drops nights left with nothing set', async () => {
    await putOk({ room_type: 'double', from: '2027-07-01', to: '2027-07-03', min_stay: 2, closed_to_arrival: true });
    expect(await rowsStored()).toBe(3);
    const cleared = await putOk({ room_type: 'double', from: '2027-07-02', to: '2027-07-03', closed_to_arrival: null });
    expect(cleared).toEqual({
      property_id: propertyId,
      room_type: 'double',
      from: '2027-07-02',
      to: '2027-07-03',
      closed_to_arrival: false,
    });
    await putOk({ room_type: 'double', from: '2027-07-03', to: '2027-07-03', min_stay: null });
    expect((await get('room_type=double&from=2027-07-01&to=2027-07-03')).body).toEqual([
      night('2027-07-01', 'double', { min_stay: 2, closed_to_arrival: true }),
      night('2027-07-02', 'double', { min_stay: 2 }),
      night('2027-07-03', 'double'),
    ]);
    expect(await rowsStored()).toBe(2);
    await putOk({ room_type: 'double', from: '2027-06-01', to: '2027-07-31', min_stay: null, closed_to_arrival: null });
    expect(await rowsStored()).toBe(0);
  });

  it('stores nothing for a write that only clears nights with nothing set', async () => {
    await putOk({ room_type: 'suite', from: '2027-08-01', to: '2027-08-31', max_stay: null, stop_sell: false });
    expect(await rowsStored()).toBe(0);
  });

  it('keeps each room type apart', async () => {
    await putOk({ room_type: 'double', from: '2027-07-01', to: '2027-07-01', min_stay: 2 });
    await putOk({ room_type: 'suite', from: '2027-07-01', to: '2027-07-01', stop_sell: true });
    await putOk({ room_type: 'double', from: '2027-07-01', to: '2027-07-01', min_stay: 2 }, otherPropertyId);
    expect((await get('from=2027-07-01&to=2027-07-01')).body).toEqual([
      night('2027-07-01', 'dorm'),
      night('2027-07-01', 'double', { min_stay: 2 }),
      night('2027-07-01', 'loft'),
      night('2027-07-01', 'suite', { stop_sell: true }),
    ]);
  });

  it("accepts an inactive room's type, the bounds 1–365 and 1–364, equal min and max, 730 nights", async () => {
    await putOk({ room_type: 'loft', from: '2027-01-01', to: '2027-01-01', min_stay: 365 });
    await putOk({ room_type: 'loft', from: '2027-01-02', to: '2027-01-02', min_stay: 1, max_stay: 1 });
    await putOk({ room_type: 'loft', from: '2027-01-03', to: '2027-01-03', max_stay: 364 });
    await putOk({ room_type: 'loft', from: '2027-01-04', to: '2027-01-04', min_stay: 5, max_stay: 5 });
    await putOk({ room_type: 'double', from: '2027-01-01', to: addDays('2027-01-01', 729), closed_to_arrival: true });
    expect(await rowsStored()).toBe(4 + 730);
  });

  it('accepts dates in the past and stores them', async () => {
    await putOk({ room_type: 'double', from: '2020-02-28', to: '2020-03-01', min_stay: 2 });
    const res = await get('room_type=double&from=2020-02-29&to=2020-02-29');
    expect(res.body).toEqual([night('2020-02-29', 'double', { min_stay: 2 })]);
  });

  it('trims the room type like rooms do', async () => {
    const res = await putOk({ room_type: '  suite ', from: '2027-07-01', to: '2027-07-01', min_stay: 2 });
    expect(res.room_type).toBe('suite');
  });

  it('checks min_stay against max_stay where both end up set: both given override the stored ones', async () => {
    await putOk({ room_type: 'double', from: '2027-07-01', to: '2027-07-05', min_stay: 6 });
    await putOk({ room_type: 'double', from: '2027-07-01', to: '2027-07-05', min_stay: 2, max_stay: 3 });
    await putOk({ room_type: 'double', from: '2027-07-01', to: '2027-07-05', min_stay: null });
    await putOk({ room_type: 'double', from: '2027-07-01', to: '2027-07-05', min_stay: 3 });
    const res = await get('room_type=double&from=2027-07-03&to=2027-07-03');
    expect(res.body).toEqual([night('2027-07-03', 'double', { min_stay: 3, max_stay: 3 })]);
  });
});

describe('PUT restrictions: rejected requests answer 400/404 naming the field, and change nothing', () => {
  const base = { room_type: 'double', from: '2027-07-01', to: '2027-07-03' };

  async function expectRejected(body: unknown, status: number, path?: string, id = propertyId): Promise<Json> {
    const before = await fingerprint(world.database.db);
    const outbox = await world.database.db('beds24_pending_changes').count({ n: '*' }).first();
    const res = await put(body, id);
    expect(res.status, JSON.stringify(res.body)).toBe(status);
    if (path !== undefined) expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain(path);
    expect(await fingerprint(world.database.db)).toEqual(before);
    expect(await world.database.db('beds24_pending_changes').count({ n: '*' }).first()).toEqual(outbox);
    return res.body;
  }

  it.each<[string, Record<string, unknown>, string]>([
    ['an unknown field', { ...base, min_stay: 2, minStay: 2 }, 'minStay'],
    ['an unknown field "price"', { ...base, stop_sell: true, price: 90 }, 'price'],
    ['min_stay 0', { ...base, min_stay: 0 }, 'min_stay'],
    ['min_stay 366', { ...base, min_stay: 366 }, 'min_stay'],
    ['min_stay 1.5', { ...base, min_stay: 1.5 }, 'min_stay'],
    ['min_stay as a string', { ...base, min_stay: '2' }, 'min_stay'],
    ['max_stay 0', { ...base, max_stay: 0 }, 'max_stay'],
    ['max_stay 365 (Beds24 allows 364 per night)', { ...base, max_stay: 365 }, 'max_stay'],
    ['max_stay -1', { ...base, max_stay: -1 }, 'max_stay'],
    ['max_stay below min_stay in the request', { ...base, min_stay: 5, max_stay: 4 }, 'max_stay'],
    ['closed_to_arrival as a string', { ...base, closed_to_arrival: 'true' }, 'closed_to_arrival'],
    ['closed_to_departure as 1', { ...base, closed_to_departure: 1 }, 'closed_to_departure'],
    ['stop_sell as "yes"', { ...base, stop_sell: 'yes' }, 'stop_sell'],
    ['to before from', { ...base, from: '2027-07-03', to: '2027-07-02', min_stay: 2 }, 'to'],
    ['a range of 731 nights', { ...base, from: '2027-01-01', to: addDays('2027-01-01', 730), min_stay: 2 }, 'to'],
    ['an invalid from', { ...base, from: '2027-02-30', min_stay: 2 }, 'from'],
    ['a to with a time', { ...base, to: '2027-07-03T00:00:00Z', min_stay: 2 }, 'to'],
    ['no room_type', { from: '2027-07-01', to: '2027-07-03', min_stay: 2 }, 'room_type'],
    ['no from', { room_type: 'double', to: '2027-07-03', min_stay: 2 }, 'from'],
    ['no to', { room_type: 'double', from: '2027-07-01', min_stay: 2 }, 'to'],
    ['an empty room_type', { ...base, room_type: ' ', min_stay: 2 }, 'room_type'],
    ['a room type no room of the property has', { ...base, room_type: 'penthouse', min_stay: 2 }, 'room_type'],
    ['a room type in another case', { ...base, room_type: 'Double', min_stay: 2 }, 'room_type'],
    ['no restriction field at all', { ...base }, 'body'],
  ])('%s', async (_name, body, path) => {
    await expectRejected(body, 400, path);
  });

  it('a body that is not an object', async () => {
    await expectRejected([{ ...base, min_stay: 2 }], 400, 'body');
  });

  it('an unknown property: 404', async () => {
    const body = await expectRejected({ ...base, min_stay: 2 }, 404, undefined, MISSING);
    expect(body.error.code).toBe('not_found');
  });

  it('a path id that is not a UUID: 400 naming id', async () => {
    const res = await app.request('PUT', '/api/properties/not-a-uuid/restrictions', { ...base, min_stay: 2 });
    expect(res.status).toBe(400);
    expect(res.body.error.details).toEqual([{ path: 'id', message: expect.any(String) }]);
  });

  it('min_stay above a max_stay already stored on a night of the range names min_stay and that night', async () => {
    await putOk({ room_type: 'double', from: '2027-07-02', to: '2027-07-02', max_stay: 5 });
    await putOk({ room_type: 'double', from: '2027-07-03', to: '2027-07-03', max_stay: 3 });
    const error = await expectRejected({ ...base, min_stay: 4 }, 400, 'min_stay');
    expect(error.error.details).toEqual([{ path: 'min_stay', message: expect.stringContaining('2027-07-03') }]);
    expect(error.error.message).toMatch(/max_stay 3/);
  });

  it('max_stay below a min_stay already stored on a night of the range names max_stay and that night', async () => {
    await putOk({ room_type: 'double', from: '2027-07-02', to: '2027-07-03', min_stay: 4 });
    const error = await expectRejected({ ...base, max_stay: 3, stop_sell: true }, 400, 'max_stay');
    expect(error.error.details).toEqual([{ path: 'max_stay', message: expect.stringContaining('2027-07-02') }]);
    expect(error.error.message).toMatch(/min_stay 4/);
  });

  it('a stored value outside the range or of another room type does not count', async () => {
    await putOk({ room_type: 'double', from: '2027-06-30', to: '2027-06-30', max_stay: 2 });
    await putOk({ room_type: 'suite', from: '2027-07-01', to: '2027-07-03', max_stay: 2 });
    await putOk({ ...base, min_stay: 4 });
  });

  it('two racing writes that would cross min and max: exactly one wins, the other is a 400, never a 500', async () => {
    const pairs = Array.from({ length: 6 }, (_, i) => {
      const date = addDays('2027-09-01', i);
      const range = { room_type: 'double', from: date, to: date };
      return Promise.all([put({ ...range, min_stay: 5 }), put({ ...range, max_stay: 3 })]);
    });
    for (const [min, max] of await Promise.all(pairs)) {
      expect([min.status, max.status].sort(), JSON.stringify([min.body, max.body])).toEqual([200, 400]);
    }
    const crossed = await world.database
      .db('room_type_restrictions')
      .whereRaw('max_stay < min_stay')
      .count({ n: '*' })
      .first();
    expect(Number(crossed?.n)).toBe(0);
  });
});

describe('GET /api/properties/:id/restrictions', () => {
  it('answers one row per night and room type, every room type of the property when none is given', async () => {
    const set = { min_stay: 2, max_stay: 10, closed_to_departure: true };
    await putOk({ room_type: 'suite', from: '2027-07-02', to: '2027-07-02', ...set });
    const res = await get('from=2027-07-01&to=2027-07-02');
    expect(res.status).toBe(200);
    expect(res.body).toStrictEqual([
      night('2027-07-01', 'dorm'),
      night('2027-07-01', 'double'),
      night('2027-07-01', 'loft'),
      night('2027-07-01', 'suite'),
      night('2027-07-02', 'dorm'),
      night('2027-07-02', 'double'),
      night('2027-07-02', 'loft'),
      night('2027-07-02', 'suite', set),
    ]);
    const keys = ['date', 'room_type', 'min_stay', 'max_stay', 'closed_to_arrival', 'closed_to_departure', 'stop_sell'];
    for (const row of res.body) expect(Object.keys(row)).toEqual(keys);
  });

  it('answers 730 nights at most, across a leap day', async () => {
    const res = await get(`room_type=suite&from=2027-03-01&to=${addDays('2027-03-01', 729)}`);
    expect(res.status).toBe(200);
    expect(res.body).toHaveLength(730);
    expect(res.body.map((row: { date: string }) => row.date)).toContain('2028-02-29');
  });

  it('answers an empty list for a property without rooms', async () => {
    const bare = await createProperty(app);
    expect((await get('from=2027-07-01&to=2027-07-02', bare.id)).body).toEqual([]);
  });

  it.each<[string, string, string]>([
    ['no from and no to', '', 'from'],
    ['no to', 'from=2027-07-01', 'to'],
    ['to before from', 'from=2027-07-05&to=2027-07-01', 'to'],
    ['a range of 731 nights', `from=2027-01-01&to=${addDays('2027-01-01', 730)}`, 'to'],
    ['an invalid date', 'from=2027-02-30&to=2027-03-01', 'from'],
    ['an unknown parameter', 'from=2027-07-01&to=2027-07-02&limit=5', 'limit'],
    ['room_type repeated', 'from=2027-07-01&to=2027-07-02&room_type=double&room_type=suite', 'room_type'],
    ['a room type no room of the property has', 'from=2027-07-01&to=2027-07-02&room_type=penthouse', 'room_type'],
  ])('400 for %s', async (_name, query, path) => {
    const res = await get(query);
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain(path);
  });

  it('404 for an unknown property', async () => {
    expect((await get('from=2027-07-01&to=2027-07-02', MISSING)).status).toBe(404);
  });
});

describe('the sync hook: a write queues the calendar job in its own transaction, like a rate edit', () => {
  const outbox = () => world.database.db('beds24_pending_changes').select('property_id', 'kind', 'entity_id');

  beforeEach(async () => {
    await world.database.db('beds24_pending_changes').delete();
  });

  it('records a rates change for a room type mapped to Beds24 on a connected property', async () => {
    await putOk({ room_type: 'suite', from: '2027-07-01', to: '2027-07-03', stop_sell: true });
    expect(await outbox()).toEqual([{ property_id: propertyId, kind: 'rates', entity_id: 'calendar' }]);
  });

  it('records nothing for a room type whose rooms are not mapped', async () => {
    await putOk({ room_type: 'dorm', from: '2027-07-01', to: '2027-07-03', stop_sell: true });
    expect(await outbox()).toEqual([]);
  });

  it('records nothing for a property that is not connected', async () => {
    await putOk({ room_type: 'double', from: '2027-07-01', to: '2027-07-03', stop_sell: true }, otherPropertyId);
    expect(await outbox()).toEqual([]);
  });
});
