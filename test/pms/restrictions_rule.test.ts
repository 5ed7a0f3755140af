import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeDesiredCalendar, type RoomInput } from '../../src/integrations/beds24/mappers/availability_mapper.ts';
import { isUnrestricted, restrictionsOf } from '../../src/integrations/beds24/mappers/restriction_mapper.ts';
import { storedRestrictions } from '../../src/pms/restrictions/restrictions_repository.ts';
import { addDays } from '../../src/utils/dates.ts';
import { createProperty, createRoom } from '../helpers/fixtures.ts';
import { expectedRestrictions, type OracleRestrictionCell } from '../helpers/restrictions_oracle.ts';
import { startTestApp, type TestApp } from '../helpers/test_app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/test_database.ts';

/*
 * Restriction edits, room status, room type and mapping changes in any mix, made through the REST API; then
 * the desired calendar computed from what the PMS stored must equal the contract's rule as the independent
 * oracle reads it from the REST API. (Pushing it to Beds24 is the push service's part.)
 */
let database: TestDatabase;
let app: TestApp;

beforeAll(async () => {
  database = await createTestDatabase();
  app = await startTestApp(database);
});

afterAll(async () => {
  await app?.close();
  await database?.drop();
});

const FROM = '2027-03-01';
const NIGHTS = 14;
const TYPES = ['double', 'twin', 'suite'] as const;
const BEDS24_ROOMS = [1001, 1002] as const;
const ROOMS = 5;

type Op =
  | { kind: 'restrict'; type: string; start: number; length: number; fields: Record<string, unknown> }
  | { kind: 'status'; room: number; status: 'active' | 'inactive' }
  | { kind: 'type'; room: number; type: string }
  | { kind: 'map'; room: number; beds24: number | null };

const orNull = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { nil: null, freq: 4 });

const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('restrict' as const),
      type: fc.constantFrom(...TYPES),
      start: fc.integer({ min: 0, max: NIGHTS - 1 }),
      length: fc.integer({ min: 1, max: 6 }),
      fields: fc.record(
        {
          min_stay: orNull(fc.integer({ min: 1, max: 6 })),
          max_stay: orNull(fc.integer({ min: 3, max: 9 })),
          closed_to_arrival: orNull(fc.boolean()),
          closed_to_departure: orNull(fc.boolean()),
          stop_sell: orNull(fc.boolean()),
        },
        { requiredKeys: [] },
      ),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('status' as const),
      room: fc.nat(ROOMS - 1),
      status: fc.constantFrom('active' as const, 'inactive' as const),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('type' as const),
      room: fc.nat(ROOMS - 1),
      type: fc.constantFrom(...TYPES),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('map' as const),
      room: fc.nat(ROOMS - 1),
      beds24: fc.constantFrom(1001, 1002, null),
    }),
  },
);

async function apply(propertyId: string, roomIds: string[], step: Op): Promise<void> {
  if (step.kind === 'restrict') {
    const from = addDays(FROM, step.start);
    const body = { room_type: step.type, from, to: addDays(from, step.length - 1), ...step.fields };
    const res = await app.request('PUT', `/api/properties/${propertyId}/restrictions`, body);
    // 400: no field given, or a min/max that would cross what is stored; anything else is a failure.
    expect([200, 400], JSON.stringify(res.body)).toContain(res.status);
    return;
  }
  const room = roomIds[step.room] as string;
  const patch =
    step.kind === 'status'
      ? { status: step.status }
      : step.kind === 'type'
        ? { room_type: step.type }
        : { beds24_room_id: step.beds24 };
  const res = await app.request('PATCH', `/api/rooms/${room}`, patch);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
}

describe('restrictions in the desired calendar equal the rule after any mix of edits', () => {
  it('holds for generated edit sequences (rooms, types, mappings, restrictions)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 25 }), async (steps) => {
        const property = await createProperty(app);
        const roomIds: string[] = [];
        for (let i = 0; i < ROOMS; i += 1) {
          const room = await createRoom(app, property.id, {
            room_type: TYPES[i % TYPES.length],
            beds24_room_id: i === ROOMS - 1 ? null : BEDS24_ROOMS[i % BEDS24_ROOMS.length],
          });
          roomIds.push(room.id);
        }
        for (const step of steps) await apply(property.id, roomIds, step);

        const last = addDays(FROM, NIGHTS - 1);
        const rooms: RoomInput[] = await database
          .db('rooms')
          .where({ property_id: property.id })
          .select('id', 'beds24_room_id', 'status', 'housekeeping_status', 'base_price', 'room_type');
        const desired = computeDesiredCalendar({
          from: FROM,
          to: last,
          today: FROM,
          horizonDays: NIGHTS,
          rooms,
          stays: [],
          blocks: [],
          rates: [],
          restrictions: await storedRestrictions(database.db, property.id, FROM, last),
        });
        for (const beds24RoomId of BEDS24_ROOMS) {
          const row = desired.cells.get(beds24RoomId) ?? [];
          for (const cell of row) expect('override' in cell).toBe(!isUnrestricted(restrictionsOf(cell)));
          const actual: OracleRestrictionCell[] = Array.from({ length: NIGHTS }, (_, i) => ({
            date: addDays(FROM, i),
            ...restrictionsOf(row[i]),
          }));
          expect(actual).toEqual(await expectedRestrictions(app, property.id, beds24RoomId, FROM, NIGHTS));
        }
      }),
      { numRuns: 15 },
    );
  });
});
